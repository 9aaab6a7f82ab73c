using System.Collections.Concurrent;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Transfer;

namespace ContentPS.Engine.Tests.Transfer;

/// <summary>An <see cref="ITransferTracker"/> that keeps every call as a line ("Downloading sha256:… 100").</summary>
public sealed class RecordingTracker : ITransferTracker
{
    private readonly ConcurrentQueue<(Digest Digest, string Call)> _calls = new();

    public IReadOnlyList<string> CallsFor(Digest digest) => _calls.Where(c => c.Digest.Equals(digest)).Select(c => c.Call).ToList();

    /// <summary>The calls for one blob, with consecutive Downloading calls folded into the last of them.</summary>
    public IReadOnlyList<string> StatesFor(Digest digest)
    {
        var states = new List<string>();
        foreach (var call in CallsFor(digest))
        {
            if (states.Count > 0 && states[^1].StartsWith("Downloading", StringComparison.Ordinal) && call.StartsWith("Downloading", StringComparison.Ordinal))
            {
                states[^1] = call;
            }
            else
            {
                states.Add(call);
            }
        }

        return states;
    }

    public void Waiting(Descriptor blob) => _calls.Enqueue((blob.Digest, "Waiting"));

    public void Downloading(Descriptor blob, long offset) => _calls.Enqueue((blob.Digest, $"Downloading {offset}"));

    public void Resumed(Descriptor blob, long fromOffset) => _calls.Enqueue((blob.Digest, $"Resumed {fromOffset}"));

    public void Done(Descriptor blob) => _calls.Enqueue((blob.Digest, "Done"));

    public void AlreadyPresent(Descriptor blob) => _calls.Enqueue((blob.Digest, "AlreadyPresent"));

    public void Failed(Descriptor blob, Exception error) => _calls.Enqueue((blob.Digest, "Failed " + Errors.Resolve(error)));
}
