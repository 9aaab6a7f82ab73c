using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images;

/// <summary>
/// One image record of a store: a descriptor in the store's <c>index.json</c> whose
/// <c>org.opencontainers.image.ref.name</c> annotation is <see cref="Name"/>. <see cref="Target"/> is the
/// descriptor as stored, that annotation included.
/// </summary>
public sealed record ImageRecord(string Name, Descriptor Target);
