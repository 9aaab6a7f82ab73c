using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Handlers;

/// <summary>A descriptor as the walk reached it: the descriptor and the node it is a child of (null for a root).</summary>
public sealed record ImageNode(Descriptor Descriptor, ImageNode? Parent = null)
{
    /// <summary>0 for a root, 1 for its children, and so on.</summary>
    public int Depth => Parent is null ? 0 : Parent.Depth + 1;

    /// <summary>A child node of this one.</summary>
    public ImageNode Child(Descriptor descriptor) => new(descriptor, this);

    /// <summary>
    /// Where this node is among its parent's children (0 for the first: a manifest's config), when the walk that
    /// made it recorded it (<see cref="ChildAt"/>); null for a root or a node made by <see cref="Child"/>.
    /// </summary>
    public int? Position { get; init; }

    /// <summary>A child node of this one at <paramref name="position"/> among its siblings.</summary>
    public ImageNode ChildAt(Descriptor descriptor, int position) => new(descriptor, this) { Position = position };
}
