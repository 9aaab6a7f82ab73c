using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Handlers;

/// <summary>Where the <c>Children</c> handler reads manifest and index bodies: the local store, or a registry.</summary>
public interface IManifestSource
{
    /// <summary>The exact bytes of the manifest or index <paramref name="descriptor"/> names (verified against its digest and size; at most <see cref="ManifestParser.MaxManifestSize"/>).</summary>
    ValueTask<byte[]> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken);
}
