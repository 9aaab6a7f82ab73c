using System.Globalization;
using ContentPS.Engine.Filters;

namespace ContentPS.Engine.Images;

/// <summary>
/// Fields of an image record for <see cref="Filter"/>: <c>name</c>; <c>target.digest</c>;
/// <c>target.mediaType</c> (also <c>target.mediatype</c>, containerd's spelling); <c>target.size</c>
/// (decimal); <c>target.artifactType</c> (present when set); <c>annotations.&lt;key&gt;</c> (the target
/// descriptor's annotations, ref.name included) and bare <c>annotations</c> (present when there is any).
/// </summary>
public sealed class ImageFieldAdaptor(ImageRecord record) : IFieldAdaptor
{
    public (string Value, bool Present) Field(IReadOnlyList<string> fieldPath)
    {
        if (fieldPath is null || fieldPath.Count == 0) return FieldPaths.Absent;
        var target = record.Target;
        return fieldPath[0] switch
        {
            "name" when fieldPath.Count == 1 => (record.Name, true),
            "annotations" => FieldPaths.FromMap(fieldPath, 1, target.Annotations),
            "target" when fieldPath.Count == 2 => fieldPath[1] switch
            {
                "digest" => (target.Digest.ToString(), true),
                "mediaType" or "mediatype" => (target.MediaType, true),
                "size" => (target.Size.ToString(CultureInfo.InvariantCulture), true),
                "artifactType" when target.ArtifactType is not null => (target.ArtifactType, true),
                _ => FieldPaths.Absent,
            },
            _ => FieldPaths.Absent,
        };
    }
}
