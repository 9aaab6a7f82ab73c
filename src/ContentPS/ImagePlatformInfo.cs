using System.Management.Automation;
using System.Text.Json;
using ContentPS.Engine.Oci;

namespace ContentPS;

/// <summary>A parsed, normalized platform, as written by <c>ConvertTo-ImagePlatform</c>.</summary>
/// <remarks>
/// <c>ConvertTo-Json</c> writes <c>architecture</c>, <c>os</c>, <c>os.version</c>, <c>os.features</c> and
/// <c>variant</c> (see <see cref="Formatting.OciJsonProperties"/>); <see cref="OSVersion"/> and
/// <see cref="OSFeatures"/> are hidden beside their dotted OCI names but still read.
/// <see cref="ToOciJson"/> writes the OCI JSON with empty fields left out.
/// </remarks>
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
    [Newtonsoft.Json.JsonIgnore]
    public string OS { get; }

    /// <summary>The CPU architecture (<c>amd64</c>, <c>arm64</c>).</summary>
    [Newtonsoft.Json.JsonIgnore]
    public string Architecture { get; }

    /// <summary>The CPU variant (<c>v7</c>, <c>v8</c>), or null.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public string? Variant { get; }

    /// <summary>The operating system version (Windows images), or null.</summary>
    [Newtonsoft.Json.JsonIgnore, Hidden]
    public string? OSVersion { get; }

    /// <summary>Required operating system features; empty when none.</summary>
    [Newtonsoft.Json.JsonIgnore, Hidden]
    public string[] OSFeatures { get; }

    /// <summary>The engine's platform, for cmdlets that take this object from the pipeline.</summary>
    internal Platform Value { get; }

    /// <summary>
    /// The platform as OCI image-spec JSON (<c>{"architecture":"arm","os":"linux","variant":"v7"}</c>):
    /// the field names of a descriptor's or an image config's platform, empty fields left out.
    /// </summary>
    public string ToOciJson() => JsonSerializer.Serialize(Value, OciJsonContext.Relaxed.Platform);

    public override string ToString() => Platform;
}
