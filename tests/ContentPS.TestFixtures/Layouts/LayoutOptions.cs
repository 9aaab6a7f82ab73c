namespace ContentPS.TestFixtures;

/// <summary>Knobs for <see cref="ImageLayouts.Create"/>. Null sizes and counts take the scenario's default.</summary>
public sealed record LayoutOptions
{
    /// <summary>The ref name the top-level blob gets in index.json.</summary>
    public string RefName { get; init; } = "latest";

    /// <summary>Layers per image (default 2; 1 for <see cref="LayoutScenario.Layers"/>).</summary>
    public int? LayerCount { get; init; }

    /// <summary>Data bytes per layer before compression (default 4 KiB; 1 MiB for <see cref="LayoutScenario.Layers"/>).</summary>
    public long? LayerSize { get; init; }

    /// <summary>Seed of the pseudo-random layer data: same seed, same digests.</summary>
    public long Seed { get; init; } = 1;
}
