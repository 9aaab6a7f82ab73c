namespace ContentPS.Engine.Images.Handlers;

/// <summary>The label keys containerd puts on content, which the handlers write and garbage collection reads.</summary>
public static class ContentLabels
{
    /// <summary>A reference from a blob to another blob that keeps it alive (<c>containerd.io/gc.ref.content</c>).</summary>
    public const string GcRefContent = "containerd.io/gc.ref.content";

    /// <summary>A manifest's config: <c>containerd.io/gc.ref.content.config</c>.</summary>
    public const string GcRefConfig = GcRefContent + ".config";

    /// <summary>An index's manifests: <c>containerd.io/gc.ref.content.m.&lt;i&gt;</c>.</summary>
    public const string GcRefManifestPrefix = GcRefContent + ".m.";

    /// <summary>A manifest's layers: <c>containerd.io/gc.ref.content.l.&lt;i&gt;</c>.</summary>
    public const string GcRefLayerPrefix = GcRefContent + ".l.";

    /// <summary>Any other child (a nested index, an artifact's config or blob): <c>containerd.io/gc.ref.content.&lt;i&gt;</c>.</summary>
    public const string GcRefOtherPrefix = GcRefContent + ".";

    /// <summary>A blob that is a root for garbage collection.</summary>
    public const string GcRoot = "containerd.io/gc.root";

    /// <summary>Where a blob came from: <c>containerd.io/distribution.source.&lt;host&gt;=&lt;repo&gt;[,&lt;repo&gt;…]</c>.</summary>
    public const string DistributionSourcePrefix = "containerd.io/distribution.source.";
}
