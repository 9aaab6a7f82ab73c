using System.Globalization;
using ContentPS.Engine.Filters;

namespace ContentPS.Engine.Content;

/// <summary>Exposes store objects to <see cref="Filter"/>. Field names are lowercase and case-sensitive, as in containerd.</summary>
public static class ContentFieldAdaptors
{
    /// <summary>
    /// Fields of a committed blob: <c>digest</c> (e.g. <c>sha256:…</c>), <c>size</c> (decimal bytes),
    /// <c>labels.&lt;key&gt;</c> (the label's value; present when the label is set) and bare <c>labels</c>
    /// (present, with value "", when the blob has any label).
    /// </summary>
    public static IFieldAdaptor For(ContentInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new ContentInfoAdaptor(info);
    }

    /// <summary>
    /// Fields of an in-progress write: <c>ref</c>; <c>offset</c> (decimal bytes written); <c>total</c>
    /// (decimal expected size, present only when known, i.e. &gt; 0); <c>expected</c> (the expected digest,
    /// present only when the writer was opened with one); <c>locked</c> (<c>true</c> or <c>false</c>:
    /// whether a writer holds the ingest now).
    /// </summary>
    public static IFieldAdaptor For(IngestStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new IngestStatusAdaptor(status);
    }

    private sealed class ContentInfoAdaptor(ContentInfo info) : IFieldAdaptor
    {
        public (string Value, bool Present) Field(IReadOnlyList<string> fieldPath)
        {
            if (fieldPath is null || fieldPath.Count == 0) return FieldPaths.Absent;
            return fieldPath[0] switch
            {
                "digest" when fieldPath.Count == 1 => (info.Digest.ToString(), true),
                "size" when fieldPath.Count == 1 => (info.Size.ToString(CultureInfo.InvariantCulture), true),
                "labels" => FieldPaths.FromMap(fieldPath, 1, info.Labels),
                _ => FieldPaths.Absent,
            };
        }
    }

    private sealed class IngestStatusAdaptor(IngestStatus status) : IFieldAdaptor
    {
        public (string Value, bool Present) Field(IReadOnlyList<string> fieldPath)
        {
            if (fieldPath is null || fieldPath.Count != 1) return FieldPaths.Absent;
            return fieldPath[0] switch
            {
                "ref" => (status.Ref, true),
                "offset" => (status.Offset.ToString(CultureInfo.InvariantCulture), true),
                "total" when status.Total > 0 => (status.Total.ToString(CultureInfo.InvariantCulture), true),
                "expected" when status.Expected is not null => (status.Expected.ToString(), true),
                "locked" => (status.Locked ? "true" : "false", true),
                _ => FieldPaths.Absent,
            };
        }
    }
}
