using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Unpack;

/// <summary>Entries an unpack did not write (devices without root, types it cannot make): all counted, the first <see cref="MaxReasons"/> explained.</summary>
internal sealed class SkipLog
{
    public const int MaxReasons = UnpackResult.MaxSkippedReasons;

    private readonly List<string> _reasons = [];

    public int Count { get; private set; }

    public IReadOnlyList<string> Reasons => _reasons;

    internal void Add(Digest layer, string entry, string reason)
    {
        Count++;
        if (_reasons.Count < MaxReasons)
        {
            _reasons.Add($"layer {layer}: {entry}: {reason}");
        }
    }
}
