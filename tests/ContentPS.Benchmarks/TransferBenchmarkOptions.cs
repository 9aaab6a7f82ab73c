namespace ContentPS.Benchmarks;

/// <summary>The sizes and repetitions of <see cref="PullBenchmark"/> and <see cref="CopyBenchmark"/> (<c>--pull-*</c>, <c>--copy-*</c> options).</summary>
internal sealed record TransferBenchmarkOptions
{
    public int Runs { get; init; } = 5;

    public int Layers { get; init; } = 8;

    public int LayerMiB { get; init; } = 64;

    public int Platforms { get; init; } = 16;

    public int PlatformLayers { get; init; } = 16;

    public int SmallLayerKiB { get; init; } = 16;

    /// <summary>Only these contenders (pull: Save-ImageContent, ImagePull, skopeo, ctr; copy: Copy-Image, ImageCopy, skopeo); null: all that can run.</summary>
    public IReadOnlySet<string>? Contenders { get; init; }
}
