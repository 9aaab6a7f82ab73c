using System.Collections.Concurrent;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>Reads each manifest body once and keeps it: the copy walks the graph first and pushes the same bytes later.</summary>
internal sealed class CachingManifestSource(IManifestSource inner) : IManifestSource
{
    private readonly ConcurrentDictionary<Digest, byte[]> _bodies = new();

    public async ValueTask<byte[]> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (_bodies.TryGetValue(descriptor.Digest, out var cached))
        {
            return cached;
        }

        var body = await inner.ReadManifestAsync(descriptor, cancellationToken).ConfigureAwait(false);
        return _bodies.GetOrAdd(descriptor.Digest, body);
    }

    /// <summary>Adds a body the source does not have (a rewritten index); the caller has made <paramref name="body"/> from its digest.</summary>
    public void Add(Digest digest, byte[] body) => _bodies[digest] = body;

    /// <summary>The body read for <paramref name="digest"/>, or null when none was.</summary>
    public byte[]? Body(Digest digest) => _bodies.GetValueOrDefault(digest);
}
