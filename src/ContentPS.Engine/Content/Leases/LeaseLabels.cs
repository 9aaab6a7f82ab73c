namespace ContentPS.Engine.Content.Leases;

/// <summary>containerd's garbage-collection label keys.</summary>
public static class GcLabels
{
    /// <summary>On a blob: the blob is a root (kept whatever refers to it).</summary>
    public const string Root = "containerd.io/gc.root";

    /// <summary>On a blob: every label with this prefix names (by digest) content the blob keeps alive.</summary>
    public const string ContentReferencePrefix = "containerd.io/gc.ref.content";

    /// <summary>On a lease: when it expires (RFC 3339).</summary>
    public const string Expire = "containerd.io/gc.expire";
}
