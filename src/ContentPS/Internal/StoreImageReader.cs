using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS.Internal;

/// <summary>
/// Finds and reads images in a content store without any network. A tag reference names the image
/// record called exactly as typed, else the one called by the normalized reference
/// (<c>registry/repo:tag</c>, the name a pull writes); a digest reference names the committed content
/// of its digest, whatever record (if any) points at it. Documents are read with their exact bytes,
/// checked against the descriptor's size and digest. A root that does not exist is a store with
/// nothing in it: it is never created just to be searched.
/// </summary>
internal sealed class StoreImageReader
{
    private readonly IContentStore? _store;
    private readonly ContentStoreManifestSource? _source;

    private StoreImageReader(string root, IContentStore? store)
    {
        Root = root;
        _store = store;
        _source = store is null ? null : new ContentStoreManifestSource(store);
    }

    /// <summary>
    /// The reader of the store at <paramref name="root"/>; a root that is a file or a folder that is not a store
    /// fails as opening the store does (<c>StoreInvalid</c>, <c>StoreAccessDenied</c>).
    /// </summary>
    public static StoreImageReader Open(string root) =>
        new(root, Directory.Exists(root) || File.Exists(root) ? LocalContentStore.Open(root) : null);

    public string Root { get; }

    /// <summary>The store's manifests and indexes, for a walk of an image found in it; null when there is no store.</summary>
    public ContentStoreManifestSource? Manifests => _source;

    /// <summary>False when there is no store at <see cref="Root"/>.</summary>
    public bool Exists => _store is not null;

    /// <summary>
    /// The root of the image <paramref name="reference"/> (typed as <paramref name="text"/>) in the store, or null
    /// when the store has no such record or content. For a digest reference the media type is the one of a record that
    /// points at the digest, else empty (the body then says what it is).
    /// </summary>
    public async Task<StoredImage?> FindAsync(string text, ImageReference reference, CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return null;
        }

        IReadOnlyList<ImageRecord> records = await new ImageRecordStore(Root).ListAsync(null, cancellationToken).ConfigureAwait(false);
        if (reference.Digest is { } digestText)
        {
            Digest digest = Digest.Parse(digestText);
            if (!digest.IsStorable)
            {
                return null; // a store keeps sha256 and sha512 content only
            }

            ContentInfo info;
            try
            {
                info = await _store.InfoAsync(digest, cancellationToken).ConfigureAwait(false);
            }
            catch (NotFoundException)
            {
                return null;
            }

            string mediaType = records.FirstOrDefault(record => record.Target.Digest.Equals(digest))?.Target.MediaType ?? "";
            return new StoredImage(new Descriptor { MediaType = mediaType, Digest = digest, Size = info.Size }, RegistryKnown: true);
        }

        if (Named(records, reference.ToString()) is { } normalized && (text == normalized.Name || Named(records, text) is null))
        {
            return new StoredImage(normalized.Target, RegistryKnown: true);
        }

        return Named(records, text) is { } own ? new StoredImage(own.Target, RegistryKnown: false) : null;
    }

    /// <summary>The exact bytes of <paramref name="descriptor"/> from the store, or null when the store does not hold them.</summary>
    public async Task<FetchedManifest?> TryReadAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        if (_source is null)
        {
            return null;
        }

        try
        {
            byte[] body = await _source.ReadManifestAsync(descriptor, cancellationToken).ConfigureAwait(false);
            return new FetchedManifest(descriptor, body);
        }
        catch (NotFoundException ex) when (ex.ErrorId == ErrorIds.BlobNotFound)
        {
            return null;
        }
    }

    private static ImageRecord? Named(IReadOnlyList<ImageRecord> records, string name) =>
        records.FirstOrDefault(record => string.Equals(record.Name, name, StringComparison.Ordinal));
}

/// <summary>
/// The root of an image found in a store. <paramref name="RegistryKnown"/> is true when the reference names the
/// image's registry repository (a record named by the normalized reference, or content found by digest), false for a
/// record found by another name (<c>myapp</c>), whose registry the store does not know.
/// </summary>
internal sealed record StoredImage(Descriptor Root, bool RegistryKnown);
