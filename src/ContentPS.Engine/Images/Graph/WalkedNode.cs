using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Graph;

/// <summary>A node as <see cref="ImageGraph.WalkAsync"/> reached it, with its parsed body when the walk read it (indexes and manifests it expanded, and the root).</summary>
public sealed record WalkedNode(ImageNode Node, ParsedManifest? Document)
{
    /// <summary>The node's role in the graph (<see cref="DescriptorKinds.Of"/>).</summary>
    public DescriptorKind Kind => DescriptorKinds.Of(Node, Document);
}
