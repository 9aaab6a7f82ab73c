using ContentPS.Engine.Oci;

namespace ContentPS.Internal;

/// <summary>
/// One side of a <c>Copy-Blob</c>: the word <c>store:</c> (any case), which names the content store of
/// <c>-Store</c>, or a registry repository. <c>store:</c> can never be a reference (a reference's tag is
/// never empty), so the two never overlap; a tag or digest of a repository is ignored (blobs belong to the repository).
/// </summary>
internal sealed record BlobCopyEndpoint(ImageReference? Repository)
{
    public const string StoreWord = "store:";

    public bool IsStore => Repository is null;

    /// <summary>The store, or the repository; a text that is neither is InvalidArgument (<c>InvalidReference</c>).</summary>
    public static BlobCopyEndpoint Parse(string text) =>
        string.Equals(text.Trim(), StoreWord, StringComparison.OrdinalIgnoreCase)
            ? new BlobCopyEndpoint((ImageReference?)null)
            : new BlobCopyEndpoint(ImageReference.Parse(text));

    public override string ToString() => Repository?.FullName ?? StoreWord;
}
