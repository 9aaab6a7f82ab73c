namespace ContentPS.Engine.Archives;

/// <summary>
/// An OCI layout directory as a spool's source: <c>oci-layout</c> and <c>index.json</c> are read up front,
/// blobs only when the import asks for them (so a layout holding other images costs nothing for them).
/// A file reached through a symbolic link (the file or one of its folders) must resolve inside the layout,
/// else ArchiveUnsafeEntry.
/// </summary>
internal static class LayoutDirectorySource
{
    public static async Task<ArchiveSpool> OpenAsync(Content.IContentStore store, string root, CancellationToken cancellationToken)
    {
        var spool = new ArchiveSpool(store, root);
        spool.Loader = (name, token) => LoadAsync(spool, root, name, token);
        try
        {
            foreach (var name in new[] { Oci.ImageLayout.LayoutFileName, Oci.ImageLayout.IndexFileName })
            {
                if (!File.Exists(Path.Combine(root, name)))
                {
                    throw ArchiveErrors.Invalid(root, $"it is not an OCI image layout: it has no {name}");
                }
                await spool.GetAsync(name, cancellationToken).ConfigureAwait(false);
            }
            return spool;
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task LoadAsync(ArchiveSpool spool, string layout, string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(layout, name.Replace('/', Path.DirectorySeparatorChar));
        EnsureInside(layout, name, path);
        if (!File.Exists(path)) return;
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await spool.AddAsync(name, file, file.Length, cancellationToken).ConfigureAwait(false);
    }

    private static void EnsureInside(string root, string name, string path)
    {
        var rootReal = Path.GetFullPath(ResolveAll(root));
        var real = Path.GetFullPath(ResolveAll(path));
        if (!real.StartsWith(rootReal.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw ArchiveErrors.Unsafe(root, name, $"it resolves to {real}, outside the layout");
        }
    }

    /// <summary>The path with every symbolic link along it resolved (components that do not exist are kept as they are).</summary>
    private static string ResolveAll(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.Exists && info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is not null) current = ResolveAll(target.FullName);
            }
        }
        return current;
    }
}
