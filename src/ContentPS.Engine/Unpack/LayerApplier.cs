using System.Formats.Tar;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Unpack;

/// <summary>
/// Applies the entries of one layer's tar to the target, in order, recording every change in the layer's
/// <see cref="LayerJournal"/>. Whiteouts and opaque markers only remove what lower layers left (entries this layer
/// created are kept); an entry replacing something removes it first (a directory over a directory keeps the
/// contents). Only entries the include filter takes are written, with the directories above them.
/// </summary>
internal sealed class LayerApplier(UnpackTarget target, Descriptor layer, LayerJournal journal, CancellationToken cancellationToken)
{
    private readonly Digest _layer = layer.Digest;
    private readonly RootResolver _resolver = target.Resolver;

    // Real paths (relative, '/'-separated) this layer created, and directories it wrote into or declared again.
    private readonly HashSet<string> _created = new(StringComparer.Ordinal);
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);

    // Attributes of directory entries the include filter left out, for when an included entry needs them as parents.
    private readonly Dictionary<string, DirectoryAttribute> _deferred = new(StringComparer.Ordinal);
    private ResolvedDirectory? _lastTouched;

    public void Apply(TarEntry entry)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes)
        {
            return;
        }

        var name = LayerEntryName.Parse(_layer, entry.Name);
        try
        {
            switch (name.Kind)
            {
                case EntryNameKind.Whiteout:
                    RemoveLower(entry.Name, name);
                    break;
                case EntryNameKind.Opaque:
                    var directory = _resolver.Resolve(_layer, entry.Name, name.Components);
                    if (directory.Exists)
                    {
                        ClearLower(directory.Components);
                    }

                    break;
                case EntryNameKind.Path:
                    Write(entry, name);
                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && ex is not EndOfStreamException)
        {
            throw Errors.Wrap(ex, $"layer {_layer}: cannot apply entry \"{entry.Name}\"");
        }
    }

    private void RemoveLower(string entry, LayerEntryName name)
    {
        var parent = _resolver.Resolve(_layer, entry, name.Parent);
        if (!parent.Exists || _created.Contains(Join(parent.Components, name.Last)))
        {
            return;
        }

        var path = _resolver.FullPath(parent, name.Last);
        if (FsNode.Probe(path) != FsNodeKind.Missing)
        {
            Remove(path);
        }
    }

    // Opaque: everything below the directory that this layer did not create goes; directories this layer wrote into
    // stay, emptied of what lower layers put there.
    private void ClearLower(IReadOnlyList<string> directory)
    {
        foreach (var child in Directory.EnumerateFileSystemEntries(_resolver.FullPath(directory)).ToList())
        {
            var components = directory.Append(Path.GetFileName(child)).ToList();
            var relative = string.Join('/', components);
            if (_created.Contains(relative))
            {
                continue;
            }

            if (_touched.Contains(relative) && FsNode.Probe(child) == FsNodeKind.Directory)
            {
                ClearLower(components);
                continue;
            }

            Remove(child);
        }
    }

    private void Write(TarEntry entry, LayerEntryName name)
    {
        var attribute = new DirectoryAttribute(entry.Mode, entry.ModificationTime, entry.Uid, entry.Gid);
        if (!target.Filter.Includes(name.Components))
        {
            if (entry.EntryType == TarEntryType.Directory)
            {
                var resolvedParent = _resolver.Resolve(_layer, entry.Name, name.Parent);
                _deferred[Join(resolvedParent.Components, name.Last)] = attribute;
            }

            return;
        }

        var parent = _resolver.Resolve(_layer, entry.Name, name.Parent);
        EnsureParents(name.Parent, parent);
        MarkTouched(parent);
        var relative = Join(parent.Components, name.Last);
        var path = _resolver.FullPath(parent, name.Last);
        var existing = FsNode.Probe(path);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (existing == FsNodeKind.Directory)
                {
                    target.Directories.Set(path, attribute);
                    _touched.Add(relative);
                    return;
                }

                Replace(existing, path, relative);
                Directory.CreateDirectory(path);
                target.Directories.Set(path, attribute);
                return;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                Replace(existing, path, relative);
                WriteFile(entry, path);
                break;
            case TarEntryType.SymbolicLink:
                Replace(existing, path, relative);
                if (!TryCreateSymlink(entry, path))
                {
                    return;
                }

                _resolver.Invalidate();
                SetLinkAttributes(entry, path);
                break;
            case TarEntryType.HardLink:
                var linked = HardLinkTarget(entry);
                if (linked is null || linked == path)
                {
                    return;
                }

                Replace(existing, path, relative);
                UnixNodes.HardLink(linked, path);
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                if (!target.Owners || !UnixNodes.CanMakeDevices)
                {
                    target.Skips.Add(_layer, entry.Name, "device nodes are made only with PreserveOwnership, as root, on Linux");
                    return;
                }

                Replace(existing, path, relative);
                var device = (PosixTarEntry)entry;
                UnixNodes.MakeDevice(path, entry.EntryType == TarEntryType.BlockDevice, entry.Mode, device.DeviceMajor, device.DeviceMinor);
                SetNodeAttributes(entry, path);
                break;
            case TarEntryType.Fifo:
                if (OperatingSystem.IsWindows())
                {
                    target.Skips.Add(_layer, entry.Name, "a FIFO cannot be made on Windows");
                    return;
                }

                Replace(existing, path, relative);
                UnixNodes.MakeFifo(path, entry.Mode);
                SetNodeAttributes(entry, path);
                break;
            default:
                target.Skips.Add(_layer, entry.Name, $"tar entry type {entry.EntryType} is not supported");
                return;
        }

        target.Files++;
    }

    /// <summary>Moves what is at <paramref name="path"/> aside (if anything) and records that this layer creates it.</summary>
    private void Replace(FsNodeKind existing, string path, string relative)
    {
        if (existing != FsNodeKind.Missing)
        {
            Remove(path);
        }

        journal.Created(path);
        _created.Add(relative);
    }

    private void Remove(string path)
    {
        var directory = FsNode.Probe(path) == FsNodeKind.Directory;
        journal.MoveAside(path);
        if (directory)
        {
            target.Directories.Forget(path);
        }

        _resolver.Invalidate();
    }

    private void EnsureParents(IReadOnlyList<string> logical, ResolvedDirectory parent)
    {
        if (parent.Exists)
        {
            return;
        }

        for (var i = parent.FirstMissing; i < parent.Components.Count; i++)
        {
            var components = parent.Components.Take(i + 1).ToList();
            var path = _resolver.FullPath(components);
            var relative = string.Join('/', components);
            journal.Created(path);
            Directory.CreateDirectory(path);
            _created.Add(relative);
            if (_deferred.TryGetValue(relative, out var attribute))
            {
                target.Directories.Set(path, attribute);
            }
        }

        _resolver.Created(logical, parent);
    }

    private void MarkTouched(ResolvedDirectory parent)
    {
        // Entries come grouped by directory: a run of entries in one directory marks it once.
        if (ReferenceEquals(parent, _lastTouched))
        {
            return;
        }

        _lastTouched = parent;
        var components = parent.Components;
        for (var i = 1; i <= components.Count; i++)
        {
            _touched.Add(string.Join('/', components.Take(i)));
        }
    }

    private void WriteFile(TarEntry entry, string path)
    {
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        long written = 0;
        if (entry.DataStream is { } data)
        {
            var buffer = target.Buffer;
            int read;
            try
            {
                while ((read = data.Read(buffer)) > 0)
                {
                    RandomAccess.Write(handle, buffer.AsSpan(0, read), written);
                    written += read;
                    if ((written & 0x7f_ffff) < read)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }
            }
            catch (EndOfStreamException ex)
            {
                throw Truncated(entry, written, ex);
            }
        }

        if (written != entry.Length)
        {
            throw Truncated(entry, written, null);
        }

        if (target.Owners)
        {
            UnixNodes.ChangeOwner(handle, path, entry.Uid, entry.Gid);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(handle, entry.Mode);
        }

        File.SetLastWriteTimeUtc(handle, entry.ModificationTime.UtcDateTime);
        target.Bytes += written;
    }

    private DataLossException Truncated(TarEntry entry, long written, Exception? inner) =>
        UnpackErrors.Corrupt(_layer, $"entry \"{entry.Name}\" ends after {written} of the {entry.Length} bytes its header gives", inner);

    // Windows lets only privileged or developer-mode users make symlinks: there a refusal is reported, not fatal.
    private bool TryCreateSymlink(TarEntry entry, string path)
    {
        try
        {
            File.CreateSymbolicLink(path, entry.LinkName);
            return true;
        }
        catch (Exception ex) when (OperatingSystem.IsWindows() && ex is IOException or UnauthorizedAccessException)
        {
            target.Skips.Add(_layer, entry.Name, $"cannot make a symlink to {entry.LinkName} here: {ex.Message}");
            return false;
        }
    }

    private void SetLinkAttributes(TarEntry entry, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (target.Owners)
        {
            UnixNodes.ChangeOwner(path, entry.Uid, entry.Gid);
        }

        UnixNodes.SetTimesNoFollow(path, entry.ModificationTime);
    }

    private void SetNodeAttributes(TarEntry entry, string path)
    {
        if (target.Owners)
        {
            UnixNodes.ChangeOwner(path, entry.Uid, entry.Gid);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, entry.Mode);
        }

        UnixNodes.SetTimesNoFollow(path, entry.ModificationTime);
    }

    /// <summary>The path a hard link entry links to; null (skipped) when the include filter left the target out.</summary>
    private string? HardLinkTarget(TarEntry entry)
    {
        if (OperatingSystem.IsWindows())
        {
            target.Skips.Add(_layer, entry.Name, "hard links are not made on Windows");
            return null;
        }

        var components = LayerEntryName.Split(_layer, entry.LinkName, entry.Name);
        if (components.Count == 0)
        {
            throw UnpackErrors.InvalidEntry(_layer, entry.Name, "it is a hard link to the root directory");
        }

        var parent = _resolver.Resolve(_layer, entry.Name, components.Take(components.Count - 1).ToList());
        var path = _resolver.FullPath(parent, components[^1]);
        var kind = parent.Exists ? FsNode.Probe(path) : FsNodeKind.Missing;
        if (kind == FsNodeKind.Missing)
        {
            if (!target.Filter.IsEverything)
            {
                target.Skips.Add(_layer, entry.Name, $"its hard link target {entry.LinkName} was not included");
                return null;
            }

            throw UnpackErrors.InvalidEntry(_layer, entry.Name, $"it is a hard link to {entry.LinkName}, which does not exist");
        }

        if (kind == FsNodeKind.Directory)
        {
            throw UnpackErrors.InvalidEntry(_layer, entry.Name, $"it is a hard link to the directory {entry.LinkName}");
        }

        return path;
    }

    private static string Join(IReadOnlyList<string> directory, string name) =>
        directory.Count == 0 ? name : string.Join('/', directory) + "/" + name;
}
