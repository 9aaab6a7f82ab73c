using static ContentPS.TestFixtures.FilesystemEntry;

namespace ContentPS.TestFixtures;

/// <summary>
/// The linux/amd64 images that exercise unpacking a root filesystem (Expand-Image): whiteouts, links, each layer
/// compression, and layers that must be refused. Each scenario's remarks say what a correct unpack leaves.
/// </summary>
public static class UnpackScenarios
{
    /// <summary>Where <see cref="LayoutScenario.UnpackAbsoluteSymlinkWrite"/>'s symlink points: nothing may ever appear there.</summary>
    public const string EscapeDirectory = "/tmp/contentps-unpack-escape";

    /// <summary>The entry name of <see cref="LayoutScenario.UnpackEscapeEntry"/>'s refused entry.</summary>
    public const string EscapeEntry = "../escape";

    public static bool Handles(LayoutScenario scenario) => Layers(scenario) is not null;

    public static LayoutBlob Build(LayoutScenario scenario, ImageLayoutBuilder builder) =>
        AddImage(builder, Layers(scenario) ?? throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "Not an unpack scenario."),
            docker: scenario == LayoutScenario.UnpackDockerGzipDiffTar);

    /// <summary>A linux/amd64 image of <paramref name="layers"/> (config and manifest added), as the scenarios build theirs.</summary>
    public static LayoutBlob AddImage(ImageLayoutBuilder builder, IReadOnlyList<FixtureLayer> layers, bool docker = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var blobs = layers.Select(l => builder.AddFixtureLayer(l, docker)).ToList();
        var claimed = blobs.Select((b, i) => layers[i].LyingDiffId is { } lie ? b with { DiffId = lie } : b).ToList();
        var config = builder.AddConfig("linux/amd64", claimed, docker);
        return builder.AddManifest(config, blobs, "linux/amd64", docker);
    }

    /// <summary>Writes a layout whose "latest" is an image of <paramref name="layers"/>.</summary>
    public static LayoutResult Create(string directory, IReadOnlyList<FixtureLayer> layers, bool docker = false, string refName = "latest")
    {
        var builder = new ImageLayoutBuilder(directory);
        builder.Tag(AddImage(builder, layers, docker), refName);
        builder.Save();
        return builder.ToResult("custom", refName);
    }

    /// <summary>The layers of an unpack scenario; null for the other scenarios.</summary>
    public static IReadOnlyList<FixtureLayer>? Layers(LayoutScenario scenario) => scenario switch
    {
        LayoutScenario.UnpackWhiteouts => Whiteouts,
        LayoutScenario.UnpackHardLinks => HardLinks,
        LayoutScenario.UnpackSymlinks => Symlinks,
        LayoutScenario.UnpackZstd => Compressions,
        LayoutScenario.UnpackDockerGzipDiffTar => DockerGzipDiffTar,
        LayoutScenario.UnpackDevices => Devices,
        LayoutScenario.UnpackEscapeEntry => EscapeEntryLayers,
        LayoutScenario.UnpackAbsoluteSymlinkWrite => AbsoluteSymlinkWrite,
        LayoutScenario.UnpackBadDiffId => BadDiffId,
        LayoutScenario.UnpackTruncated => Truncated,
        _ => null,
    };

    /// <summary>
    /// Leaves etc/keep.conf, etc/remove.conf ("back again"), an empty opt/, var/cache/early and var/cache/upper
    /// (the opaque marker hides only what lower layers put there) and usr/share/same-layer (a whiteout does not
    /// hide its own layer's entries).
    /// </summary>
    public static IReadOnlyList<FixtureLayer> Whiteouts { get; } =
    [
        FixtureLayer.Of(
            Dir("etc/"), Regular("etc/keep.conf", "keep\n"), Regular("etc/remove.conf", "remove me\n"),
            Dir("opt/"), Dir("opt/gone/"), Regular("opt/gone/file", "gone\n"),
            Dir("var/"), Dir("var/cache/"), Regular("var/cache/lower-a", "a\n"), Dir("var/cache/sub/"), Regular("var/cache/sub/lower-b", "b\n")),
        FixtureLayer.Of(
            Whiteout("etc/remove.conf"), Whiteout("etc/never-existed"), Whiteout("opt/gone"),
            Dir("var/cache/"), Regular("var/cache/early", "written before the marker\n"), Opaque("var/cache"), Regular("var/cache/upper", "upper\n"),
            Dir("usr/"), Dir("usr/share/"), Regular("usr/share/same-layer", "kept\n"), Whiteout("usr/share/same-layer")),
        FixtureLayer.Of(Regular("etc/remove.conf", "back again\n")),
    ];

    /// <summary>usr/bin/tool, usr/bin/tool-alias (same layer) and usr/local/bin/tool2 (next layer) are one file.</summary>
    public static IReadOnlyList<FixtureLayer> HardLinks { get; } =
    [
        FixtureLayer.Of(
            Dir("usr/"), Dir("usr/bin/"), Regular("usr/bin/tool", "#!/bin/sh\necho tool\n", (UnixFileMode)0b111_101_101),
            HardLink("usr/bin/tool-alias", "usr/bin/tool")),
        FixtureLayer.Of(Dir("usr/local/"), Dir("usr/local/bin/"), HardLink("usr/local/bin/tool2", "usr/bin/tool")),
    ];

    /// <summary>
    /// A chain libdemo.so → libdemo.so.1 → libdemo.so.1.2.3, lib → usr/lib, l2 → lib; the second layer writes
    /// lib/extra.so and l2/chained.so (both land in usr/lib) and turns etc/dangling into a file. etc/localtime is an
    /// absolute link nothing writes through, which is allowed.
    /// </summary>
    public static IReadOnlyList<FixtureLayer> Symlinks { get; } =
    [
        FixtureLayer.Of(
            Dir("usr/"), Dir("usr/lib/"), Regular("usr/lib/libdemo.so.1.2.3", "pretend ELF\n", (UnixFileMode)0b111_101_101),
            Symlink("usr/lib/libdemo.so.1", "libdemo.so.1.2.3"), Symlink("usr/lib/libdemo.so", "libdemo.so.1"),
            Symlink("lib", "usr/lib"), Symlink("l2", "lib"),
            Dir("etc/"), Symlink("etc/localtime", "/usr/share/zoneinfo/UTC"), Symlink("etc/dangling", "nowhere")),
        FixtureLayer.Of(
            Regular("lib/extra.so", "extra\n"), Regular("l2/chained.so", "chained\n"), Regular("etc/dangling", "now a file\n")),
    ];

    /// <summary>One layer each: zstd (zstd/hello.txt), gzip (gzip/hello.txt), uncompressed tar (plain/hello.txt).</summary>
    public static IReadOnlyList<FixtureLayer> Compressions { get; } =
    [
        new([Dir("zstd/"), Regular("zstd/hello.txt", "hello from a zstd layer\n")], LayerCompression.Zstd),
        new([Dir("gzip/"), Regular("gzip/hello.txt", "hello from a gzip layer\n")], LayerCompression.Gzip),
        new([Dir("plain/"), Regular("plain/hello.txt", "hello from a plain tar layer\n")], LayerCompression.None),
    ];

    /// <summary>A Docker v2 image: a rootfs.diff.tar.gzip layer, then a gzip layer typed rootfs.diff.tar (sniffed).</summary>
    public static IReadOnlyList<FixtureLayer> DockerGzipDiffTar { get; } =
    [
        new([Dir("docker/"), Regular("docker/first.txt", "typed gzip\n")], LayerCompression.Gzip),
        new([Regular("docker/second.txt", "gzip bytes typed as a plain tar\n")], LayerCompression.Gzip) { MediaType = LayoutMediaTypes.DockerLayer },
    ];

    /// <summary>A character device (1,3), a FIFO and a setuid file owned by 1234:5678: devices and owners need root and -PreserveOwnership.</summary>
    public static IReadOnlyList<FixtureLayer> Devices { get; } =
    [
        FixtureLayer.Of(
            Dir("dev/"), CharDevice("dev/null-copy", 1, 3), Fifo("dev/pipe"),
            Dir("owned/"), Regular("owned/setuid", "owned\n", (UnixFileMode)0b100_111_101_101) with { Uid = 1234, Gid = 5678 }),
    ];

    /// <summary>The second layer adds safe/added, then names <see cref="EscapeEntry"/>: refused, the target keeps only layer 1.</summary>
    public static IReadOnlyList<FixtureLayer> EscapeEntryLayers { get; } =
    [
        FixtureLayer.Of(Dir("safe/"), Regular("safe/file", "ok\n")),
        FixtureLayer.Of(Regular("safe/added", "added\n"), Regular(EscapeEntry, "escaped\n")),
    ];

    /// <summary>Layer 1 links evil → <see cref="EscapeDirectory"/>; layer 2 adds data/two, then writes evil/pwned: refused.</summary>
    public static IReadOnlyList<FixtureLayer> AbsoluteSymlinkWrite { get; } =
    [
        FixtureLayer.Of(Symlink("evil", EscapeDirectory), Dir("data/"), Regular("data/one", "one\n")),
        FixtureLayer.Of(Regular("data/two", "two\n"), Regular("evil/pwned", "pwned\n")),
    ];

    /// <summary>Layer 2's config diff ID is not its digest: DataLoss, the target keeps only layer 1.</summary>
    public static IReadOnlyList<FixtureLayer> BadDiffId { get; } =
    [
        FixtureLayer.Of(Dir("good/"), Regular("good/file", "good\n")),
        new([Regular("good/other", "other\n"), Dir("bad/"), Regular("bad/file", "content the diff ID does not describe\n")])
        {
            LyingDiffId = "sha256:" + new string('0', 64),
        },
    ];

    /// <summary>Layer 2's tar stops 1000 bytes into a file whose header says 8192: DataLoss, the target keeps only layer 1.</summary>
    public static IReadOnlyList<FixtureLayer> Truncated { get; } =
    [
        FixtureLayer.Of(Dir("good/"), Regular("good/file", "good\n")),
        new([Regular("good/partial", new string('x', 8192))]) { TruncateTarAt = 1536 + 1000 },
    ];
}
