namespace ContentPS.Engine.Images.Handlers;

/// <summary>How <see cref="ImageHandlers.DispatchAsync(ImageHandler, IEnumerable{ImageNode}, DispatchOptions?, CancellationToken)"/> runs.</summary>
public sealed record DispatchOptions
{
    /// <summary>
    /// The most handler executions running at once; 0 or less means unbounded. It bounds
    /// executions, not subtrees: a slot is released before the children are visited.
    /// </summary>
    public int MaxConcurrency { get; init; }

    /// <summary>
    /// Handle each digest once per dispatch (default true). A descriptor reached again — a config or
    /// layer shared by two manifests, a manifest listed twice — is then neither handled nor descended
    /// into a second time; the second path does not wait for the first, but the dispatch as a whole
    /// returns only after both. The key is the digest alone: content is identified by its digest, so a
    /// digest listed under two media types is handled once, as the first path reached it.
    /// containerd does not deduplicate; we do, so each blob is fetched once per dispatch.
    /// </summary>
    public bool HandleEachDigestOnce { get; init; } = true;
}
