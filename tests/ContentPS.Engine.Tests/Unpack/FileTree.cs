using System.Globalization;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Unpack;

/// <summary>One entry of a directory tree as find(1) sees it (never following symlinks), with the content hash of regular files.</summary>
internal sealed record FileTreeEntry(string Path, char Type, string Mode, string LinkTarget, string Hash, string Modified, string Owner, long Inode)
{
    /// <summary>What umoci and ContentPS must agree on: path, type, mode, content, link target.</summary>
    public string Shape => $"{Path} {Type} {Mode} {Hash}{LinkTarget}";

    /// <summary><see cref="Shape"/> plus modification time and owner: what a rollback must restore exactly.</summary>
    public string Full => $"{Shape} {Modified} {Owner}";
}

internal static class FileTree
{
    /// <summary>Every entry under <paramref name="root"/> (not the root itself), sorted by path.</summary>
    public static async Task<List<FileTreeEntry>> ReadAsync(string root)
    {
        var listing = await ToolRunner.RunCheckedAsync("find", root, "-mindepth", "1", "-printf", "%y\\t%m\\t%P\\t%l\\t%T@\\t%U:%G\\t%i\\n");
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Select(f => new FileTreeEntry(
                f[2], f[0][0], f[1], f[3],
                f[0] == "f" ? FixtureTools.Sha256Of(Path.Combine(root, f[2])) : "",
                f[4], f[5], long.Parse(f[6], CultureInfo.InvariantCulture)))
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .ToList();
    }

    public static async Task<List<string>> ShapeAsync(string root) => (await ReadAsync(root)).Select(e => e.Shape).ToList();

    public static async Task<List<string>> FullAsync(string root) => (await ReadAsync(root)).Select(e => e.Full).ToList();
}
