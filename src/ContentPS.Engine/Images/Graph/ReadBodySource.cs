using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Graph;

/// <summary>
/// The body of one document, read already: lets the walk run the <c>Children</c> handler on a body it also
/// parses itself (to classify the node), without reading it twice.
/// </summary>
internal sealed class ReadBodySource(Descriptor descriptor, byte[] body) : IManifestSource
{
    public ValueTask<byte[]> ReadManifestAsync(Descriptor asked, CancellationToken cancellationToken) =>
        asked.Digest.Equals(descriptor.Digest)
            ? ValueTask.FromResult(body)
            : throw new InternalException($"the walk read {descriptor.Digest}, but the handler asked for {asked.Digest}", ErrorIds.Internal);
}
