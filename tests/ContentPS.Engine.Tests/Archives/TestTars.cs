using System.Formats.Tar;

namespace ContentPS.Engine.Tests.Archives;

/// <summary>Hand-made tars for bad-input tests: a layout directory's files plus entries no honest archive has.</summary>
internal static class TestTars
{
    /// <summary>Writes every file under <paramref name="directory"/> (names relative to it), then <paramref name="extra"/>.</summary>
    public static void FromDirectory(string directory, string tarPath, Action<TarWriter>? extra = null)
    {
        using var file = File.Create(tarPath);
        using var writer = new TarWriter(file, TarEntryFormat.Pax);
        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            writer.WriteEntry(path, Path.GetRelativePath(directory, path).Replace('\\', '/'));
        }
        extra?.Invoke(writer);
    }

    public static void AddFile(TarWriter writer, string name, byte[] content) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });

    public static void AddSymlink(TarWriter writer, string name, string target) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
}
