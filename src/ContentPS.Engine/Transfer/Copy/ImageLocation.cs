using ContentPS.Engine.Content;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>Where a copy reads an image from or writes it to: a registry reference or an image record of a local store.</summary>
public abstract record ImageLocation
{
    private protected ImageLocation()
    {
    }

    /// <summary>A registry location; a reference that does not parse is InvalidArgument (<c>InvalidReference</c>).</summary>
    public static RegistryImageLocation Registry(string reference) => new(ImageReference.Parse(reference));

    /// <summary>A store location; a name that is not a valid image name is InvalidArgument (<c>InvalidImageName</c>).</summary>
    public static StoreImageLocation InStore(IContentStore store, string name)
    {
        ImageName.Validate(name);
        return new StoreImageLocation(store, name);
    }
}

/// <summary>
/// An image on a registry. As a source: the tag or digest it names (no tag: <c>:latest</c>). As a
/// destination: the repository, tagged with its tag, or with the source's tag when it has neither tag
/// nor digest (pushed by digest only when the source has no tag either); a digest must be the digest
/// the copy writes.
/// </summary>
public sealed record RegistryImageLocation(ImageReference Reference) : ImageLocation
{
    public override string ToString() => Reference.ToString();
}

/// <summary>An image record (<see cref="ImageRecordStore"/>) of a local content store.</summary>
public sealed record StoreImageLocation(IContentStore Store, string Name) : ImageLocation
{
    public override string ToString() => $"{Name} (store {Store.Root})";
}
