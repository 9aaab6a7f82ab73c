using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Unpack;

/// <summary>
/// A directory inside the target, as <see cref="RootResolver"/> found it: its real components (symlinks resolved)
/// and the index of the first one that does not exist yet (-1: all exist).
/// </summary>
internal sealed record ResolvedDirectory(IReadOnlyList<string> Components, int FirstMissing)
{
    public string Relative => string.Join('/', Components);

    public bool Exists => FirstMissing < 0;
}

/// <summary>
/// Resolves the directory part of entry names inside the target the way the kernel would, one component at a time,
/// without ever asking the OS to follow a symlink. A symlink met on the way is read and its target walked in its
/// place — only while it stays inside: an absolute target or one climbing above the root is refused
/// (UnpackUnsafeEntry), also when an earlier layer made the link. A component that is a file is UnpackInvalidEntry.
/// Results are cached per layer until a symlink or directory is replaced or removed (<see cref="Invalidate"/>).
/// </summary>
internal sealed class RootResolver(string root)
{
    private const int MaxSymlinks = 40; // Linux's limit (ELOOP)
    private readonly Dictionary<string, ResolvedDirectory> _cache = new(StringComparer.Ordinal);

    public string Root { get; } = root;

    public string FullPath(IEnumerable<string> components) => Path.Combine([Root, .. components]);

    public string FullPath(ResolvedDirectory directory, string name) => Path.Combine([Root, .. directory.Components, name]);

    public void Invalidate() => _cache.Clear();

    /// <summary>Records that <paramref name="directory"/> now exists entirely (its missing parts were created).</summary>
    public void Created(IReadOnlyList<string> logical, ResolvedDirectory directory) =>
        _cache[string.Join('/', logical)] = directory with { FirstMissing = -1 };

    public ResolvedDirectory Resolve(Digest layer, string entry, IReadOnlyList<string> logical)
    {
        var key = string.Join('/', logical);
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var resolved = Walk(layer, entry, logical);
        _cache[key] = resolved;
        return resolved;
    }

    private ResolvedDirectory Walk(Digest layer, string entry, IReadOnlyList<string> logical)
    {
        var real = new List<string>();
        var pending = new Stack<string>(Enumerable.Reverse(logical));
        var firstMissing = -1;
        var links = 0;
        while (pending.TryPop(out var component))
        {
            if (component is "" or ".")
            {
                continue;
            }

            if (component == "..")
            {
                // Only a symlink target brings "..": entry names with it were refused.
                if (real.Count == 0)
                {
                    throw UnpackErrors.Unsafe(layer, entry, "a symlink on its path climbs above the target directory");
                }

                real.RemoveAt(real.Count - 1);
                if (firstMissing >= real.Count)
                {
                    firstMissing = -1;
                }

                continue;
            }

            if (firstMissing >= 0)
            {
                real.Add(component);
                continue;
            }

            var path = Path.Combine([Root, .. real, component]);
            switch (FsNode.Probe(path))
            {
                case FsNodeKind.Missing:
                    firstMissing = real.Count;
                    real.Add(component);
                    break;
                case FsNodeKind.Directory:
                    real.Add(component);
                    break;
                case FsNodeKind.Symlink:
                    if (++links > MaxSymlinks)
                    {
                        throw UnpackErrors.InvalidEntry(layer, entry, $"more than {MaxSymlinks} symlinks on its path (a loop?)");
                    }

                    var target = new FileInfo(path).LinkTarget ?? "";
                    var shown = string.Join('/', real.Append(component));
                    if (target.StartsWith('/') || Path.IsPathRooted(target))
                    {
                        throw UnpackErrors.Unsafe(layer, entry, $"it would be written through the symlink {shown} -> {target}, an absolute path outside the target directory");
                    }

                    foreach (var part in Enumerable.Reverse(target.Split('/')))
                    {
                        pending.Push(part);
                    }

                    break;
                default:
                    throw UnpackErrors.InvalidEntry(layer, entry, $"{string.Join('/', real.Append(component))} is not a directory");
            }
        }

        return new ResolvedDirectory(real, firstMissing);
    }
}
