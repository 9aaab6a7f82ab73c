using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Unpack;

/// <summary>What a tar entry name means in a layer: a path, or an OCI whiteout of a path, or an opaque marker.</summary>
internal enum EntryNameKind
{
    /// <summary>The layer's root itself (<c>./</c>): nothing to write.</summary>
    Root,
    Path,
    /// <summary><c>dir/.wh.name</c>: removes <c>dir/name</c> of the layers below.</summary>
    Whiteout,
    /// <summary><c>dir/.wh..wh..opq</c>: hides what the layers below put in <c>dir</c>.</summary>
    Opaque,
    /// <summary>Another <c>.wh..wh.</c> name (aufs metadata): ignored.</summary>
    AufsMetadata,
}

/// <summary>
/// A layer entry name split into checked components: no empty or <c>.</c> components, and refused (UnpackUnsafeEntry)
/// when absolute or holding a <c>..</c> component. For whiteouts, <see cref="Components"/> names the path removed.
/// </summary>
internal sealed record LayerEntryName(EntryNameKind Kind, IReadOnlyList<string> Components)
{
    public const string WhiteoutPrefix = ".wh.";
    public const string OpaqueMarker = ".wh..wh..opq";
    private const string AufsPrefix = ".wh..wh.";

    public string Name => string.Join('/', Components);

    public IReadOnlyList<string> Parent => Components.Take(Components.Count - 1).ToList();

    public string Last => Components[^1];

    public static LayerEntryName Parse(Digest layer, string name)
    {
        var components = Split(layer, name, name);
        if (components.Count == 0)
        {
            return new LayerEntryName(EntryNameKind.Root, components);
        }

        var last = components[^1];
        if (last == OpaqueMarker)
        {
            return new LayerEntryName(EntryNameKind.Opaque, components.Take(components.Count - 1).ToList());
        }

        if (last.StartsWith(AufsPrefix, StringComparison.Ordinal))
        {
            return new LayerEntryName(EntryNameKind.AufsMetadata, components);
        }

        if (last.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            var removed = last[WhiteoutPrefix.Length..];
            if (removed is "" or "." or "..")
            {
                throw UnpackErrors.Unsafe(layer, name, "the whiteout names no entry of its directory");
            }

            components[^1] = removed;
            return new LayerEntryName(EntryNameKind.Whiteout, components);
        }

        return new LayerEntryName(EntryNameKind.Path, components);
    }

    /// <summary>The components of a name inside the image (an entry name or a hard link target), checked the same way.</summary>
    public static List<string> Split(Digest layer, string name, string entry)
    {
        if (name.StartsWith('/') || (OperatingSystem.IsWindows() && (Path.IsPathRooted(name) || name.Contains('\\'))))
        {
            throw UnpackErrors.Unsafe(layer, entry, $"\"{name}\" is an absolute path");
        }

        var components = new List<string>();
        foreach (var component in name.Split('/'))
        {
            if (component is "" or ".")
            {
                continue;
            }

            if (component == "..")
            {
                throw UnpackErrors.Unsafe(layer, entry, $"\"{name}\" has a .. component, which could leave the target directory");
            }

            if (component.Contains('\0'))
            {
                throw UnpackErrors.Unsafe(layer, entry, "the name holds a NUL character");
            }

            components.Add(component);
        }

        return components;
    }
}
