namespace ContentPS.Engine.Archives;

/// <summary>
/// Entry names of an archive, checked and made canonical: forward slashes, no leading <c>./</c>, no empty
/// or <c>.</c> segments. An absolute name (<c>/x</c>, <c>C:x</c>, <c>\\x</c>) or one with a <c>..</c>
/// segment is ArchiveUnsafeEntry: nothing of an archive may name a place outside it.
/// </summary>
internal static class ArchiveEntryNames
{
    public static string Normalize(string archive, string name)
    {
        var slashed = name.Replace('\\', '/');
        if (slashed.StartsWith('/') || (slashed.Length >= 2 && slashed[1] == ':'))
        {
            throw ArchiveErrors.Unsafe(archive, name, "the name is absolute");
        }
        var segments = new List<string>();
        foreach (var segment in slashed.Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..") throw ArchiveErrors.Unsafe(archive, name, "the name climbs out of the archive with ..");
            segments.Add(segment);
        }
        return string.Join('/', segments);
    }

    /// <summary>
    /// Where a symbolic link at <paramref name="entry"/> pointing at <paramref name="target"/> leads, as an
    /// entry name; ArchiveUnsafeEntry when it leads outside the archive (absolute, or too many <c>..</c>).
    /// </summary>
    public static string ResolveSymlink(string archive, string entry, string target)
    {
        var slashed = target.Replace('\\', '/');
        if (slashed.StartsWith('/') || (slashed.Length >= 2 && slashed[1] == ':'))
        {
            throw ArchiveErrors.Unsafe(archive, entry, $"it links to the absolute path {target}");
        }
        var segments = entry.Split('/').SkipLast(1).ToList();
        foreach (var segment in slashed.Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..")
            {
                if (segments.Count == 0) throw ArchiveErrors.Unsafe(archive, entry, $"it links to {target}, outside the archive");
                segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment);
        }
        return string.Join('/', segments);
    }
}
