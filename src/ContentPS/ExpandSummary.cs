using ContentPS.Engine.Oci;
using ContentPS.Engine.Unpack;

namespace ContentPS;

/// <summary>What one <c>Expand-Image</c> call wrote: the image and platform expanded, the directory, and how much.</summary>
public sealed class ExpandSummary
{
    internal ExpandSummary(string name, string? reference, Descriptor manifest, Platform? platform, string path, UnpackResult result, string store)
    {
        Name = name;
        Reference = reference;
        Digest = manifest.Digest.ToString();
        Platform = (result.Platform ?? platform) is { } known ? Platforms.Format(known) : null;
        Path = path;
        Layers = result.Layers;
        Files = result.Files;
        Bytes = result.Bytes;
        SkippedEntries = result.SkippedEntries;
        SkippedReasons = [.. result.SkippedReasons];
        Elapsed = result.Elapsed;
        Store = store;
    }

    /// <summary>The image record expanded (<c>Get-Image -Name</c>).</summary>
    public string Name { get; }

    /// <summary>The registry reference pulled from with <c>-Reference</c>; null with <c>-Name</c>.</summary>
    public string? Reference { get; }

    /// <summary>The digest of the image manifest whose layers were applied (the platform's entry of an index).</summary>
    public string Digest { get; }

    /// <summary>The platform of the manifest expanded (<c>os/arch[/variant]</c>); null when its config names none.</summary>
    public string? Platform { get; }

    /// <summary>The full path of the directory the root file system was written into.</summary>
    public string Path { get; }

    /// <summary>Layers applied, in order.</summary>
    public int Layers { get; }

    /// <summary>Entries written (files, directories, links), counted over every layer.</summary>
    public long Files { get; }

    /// <summary>Bytes of file content written.</summary>
    public long Bytes { get; }

    /// <summary>Entries not written because they need privileges (ownership, device nodes) or cannot be represented here.</summary>
    public int SkippedEntries { get; }

    /// <summary>Why entries were skipped, one line per kind (a warning says so too).</summary>
    public string[] SkippedReasons { get; }

    /// <summary>How long the expansion took (the pull of <c>-Reference</c> not included).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The store the image was read from.</summary>
    public string Store { get; }

    public override string ToString() => Path;
}
