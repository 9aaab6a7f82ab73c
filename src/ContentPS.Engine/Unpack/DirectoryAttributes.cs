namespace ContentPS.Engine.Unpack;

/// <summary>Mode, time and owner a directory entry asks for.</summary>
internal sealed record DirectoryAttribute(UnixFileMode Mode, DateTimeOffset Modified, int Uid, int Gid);

/// <summary>
/// Directory modes and times are applied once, after the last layer (or after a failed one was rolled back):
/// until then every directory stays writable and searchable by its owner so later entries can go in, and its time
/// is not disturbed again by what lands in it. A layer's changes are undone with <see cref="Snapshot"/>/<see cref="Restore"/>.
/// </summary>
internal sealed class DirectoryAttributes
{
    /// <summary>What a directory is created with until <see cref="Apply"/>: its own mode plus the owner's rwx.</summary>
    public const UnixFileMode WorkingBits = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private Dictionary<string, DirectoryAttribute> _pending = new(StringComparer.Ordinal);

    public void Set(string path, DirectoryAttribute attribute) => _pending[path] = attribute;

    public bool TryGet(string path, out DirectoryAttribute? attribute) => _pending.TryGetValue(path, out attribute);

    /// <summary>Forgets <paramref name="path"/> and everything under it (it was removed).</summary>
    public void Forget(string path)
    {
        _pending.Remove(path);
        var prefix = path + Path.DirectorySeparatorChar;
        foreach (var key in _pending.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _pending.Remove(key);
        }
    }

    public Dictionary<string, DirectoryAttribute> Snapshot() => new(_pending, StringComparer.Ordinal);

    public void Restore(Dictionary<string, DirectoryAttribute> snapshot) => _pending = snapshot;

    /// <summary>Sets owner (when <paramref name="owners"/>), mode and time of every directory still present, deepest first.</summary>
    public void Apply(bool owners)
    {
        foreach (var (path, attribute) in _pending.OrderByDescending(p => p.Key.Length))
        {
            if (FsNode.Probe(path) != FsNodeKind.Directory)
            {
                continue;
            }

            if (owners)
            {
                UnixNodes.ChangeOwner(path, attribute.Uid, attribute.Gid);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, attribute.Mode);
            }

            Directory.SetLastWriteTimeUtc(path, attribute.Modified.UtcDateTime);
        }
    }
}
