namespace ContentPS;

/// <summary>How <c>Copy-Blob</c> made a blob exist at its destination.</summary>
public enum BlobCopyOutcome
{
    /// <summary>The destination had it already: nothing was sent.</summary>
    Existed,

    /// <summary>Mounted from another repository of the same registry: no bytes were sent.</summary>
    Mounted,

    /// <summary>Streamed to a registry repository and verified on the way.</summary>
    Uploaded,

    /// <summary>Downloaded into the store, whose ingest verified size and digest.</summary>
    Fetched,
}
