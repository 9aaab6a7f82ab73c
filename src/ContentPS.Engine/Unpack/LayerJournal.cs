namespace ContentPS.Engine.Unpack;

/// <summary>
/// The undo journal of one layer, which is how a failed layer (diff ID mismatch, refused or bad entry, corrupt
/// data, cancellation) leaves the target as it was before it. Everything the layer creates is recorded before it
/// is created; everything it would replace or remove is renamed into a hidden backup directory beside the target
/// (same file system, so a rename, not a copy) instead. <see cref="Rollback"/> replays the records backwards:
/// created paths are deleted, backed-up paths renamed back. <see cref="Commit"/> deletes the backup directory.
/// </summary>
internal sealed class LayerJournal(string target)
{
    private readonly List<(string Path, string? Backup)> _records = [];
    private string? _backupDirectory;
    private int _backups;

    /// <summary>The backup directory while this layer has one: <c>.&lt;target name&gt;.unpack-&lt;random&gt;</c> beside the target.</summary>
    public string? BackupDirectory => _backupDirectory;

    public void Created(string path) => _records.Add((path, null));

    /// <summary>Moves <paramref name="path"/> (which exists) out of the way into the backup directory.</summary>
    public void MoveAside(string path)
    {
        if (_backupDirectory is null)
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
            _backupDirectory = Path.Combine(Path.GetDirectoryName(full) ?? full, $".{Path.GetFileName(full)}.unpack-{Guid.NewGuid():N}");
            Directory.CreateDirectory(_backupDirectory);
        }

        var backup = Path.Combine(_backupDirectory, (_backups++).ToString(System.Globalization.CultureInfo.InvariantCulture));
        _records.Add((path, backup));
        if (FsNode.Probe(path) == FsNodeKind.Directory)
        {
            Directory.Move(path, backup);
        }
        else
        {
            File.Move(path, backup);
        }
    }

    public void Commit()
    {
        _records.Clear();
        if (_backupDirectory is not null)
        {
            FsNode.Delete(_backupDirectory);
            _backupDirectory = null;
        }
    }

    /// <summary>Undoes the layer. Throws (an IOException naming the backup directory, which is then kept) when a step fails.</summary>
    public void Rollback()
    {
        for (var i = _records.Count - 1; i >= 0; i--)
        {
            var (path, backup) = _records[i];
            FsNode.Delete(path);
            if (backup is not null && FsNode.Probe(backup) != FsNodeKind.Missing)
            {
                if (FsNode.Probe(backup) == FsNodeKind.Directory)
                {
                    Directory.Move(backup, path);
                }
                else
                {
                    File.Move(backup, path);
                }
            }
        }

        Commit();
    }
}
