using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Unpack;

/// <summary>
/// What an unpack did: the config's platform, the layers applied, the files (every non-directory entry written)
/// and their content bytes, and the entries skipped (<see cref="SkippedReasons"/> holds at most
/// <see cref="MaxSkippedReasons"/> lines, "layer &lt;digest&gt;: &lt;entry&gt;: &lt;why&gt;").
/// </summary>
public sealed record UnpackResult(
    Platform? Platform,
    int Layers,
    long Files,
    long Bytes,
    int SkippedEntries,
    IReadOnlyList<string> SkippedReasons,
    TimeSpan Elapsed)
{
    /// <summary>How many skipped entries <see cref="SkippedReasons"/> explains at most; <see cref="SkippedEntries"/> counts them all.</summary>
    public const int MaxSkippedReasons = 100;
}
