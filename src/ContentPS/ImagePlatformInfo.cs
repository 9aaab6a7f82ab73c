using ContentPS.Engine.Oci;

namespace ContentPS;

/// <summary>A parsed, normalized platform, as written by <c>ConvertTo-ImagePlatform</c>.</summary>
public sealed class ImagePlatformInfo
{
    internal ImagePlatformInfo(Platform platform)
    {
        Value = platform;
        Platform = Platforms.FormatAll(platform);
        OS = platform.OS;
        Architecture = platform.Architecture;
        Variant = platform.Variant;
        OSVersion = platform.OSVersion;
        OSFeatures = platform.OSFeatures?.ToArray() ?? [];
    }

    /// <summary>The normalized platform specifier (<c>linux/arm/v7</c>, <c>windows(10.0.17763)/amd64</c>); parses back to the same platform.</summary>
    public string Platform { get; }

    /// <summary>The operating system (<c>linux</c>, <c>windows</c>).</summary>
    public string OS { get; }

    /// <summary>The CPU architecture (<c>amd64</c>, <c>arm64</c>).</summary>
    public string Architecture { get; }

    /// <summary>The CPU variant (<c>v7</c>, <c>v8</c>), or null.</summary>
    public string? Variant { get; }

    /// <summary>The operating system version (Windows images), or null.</summary>
    public string? OSVersion { get; }

    /// <summary>Required operating system features; empty when none.</summary>
    public string[] OSFeatures { get; }

    /// <summary>The engine's platform, for cmdlets that take this object from the pipeline.</summary>
    internal Platform Value { get; }

    public override string ToString() => Platform;
}
