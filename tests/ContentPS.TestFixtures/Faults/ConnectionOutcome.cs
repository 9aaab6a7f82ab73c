namespace ContentPS.TestFixtures;

/// <summary>What happens to a client connection after one answer.</summary>
internal enum ConnectionOutcome
{
    KeepOpen,

    Close,

    /// <summary>Close with a TCP reset, so the client sees "connection reset" rather than a clean end of stream.</summary>
    Reset,
}
