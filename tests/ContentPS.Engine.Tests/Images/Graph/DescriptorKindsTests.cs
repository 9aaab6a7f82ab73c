using ContentPS.Engine.Images.Graph;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Transfer;

namespace ContentPS.Engine.Tests.Images.Graph;

/// <summary>Classification from a node alone (and the parsed body when there is one).</summary>
public sealed class DescriptorKindsTests
{
    private static readonly Descriptor Empty = Descriptor.FromContent(MediaTypes.OciEmpty, "{}"u8);

    [Fact]
    public void AManifestsChildIsItsConfigAtPositionZeroAndALayerAfterWhateverItsMediaType()
    {
        var manifest = new ImageNode(Descriptor.FromContent(MediaTypes.OciManifest, "m"u8));

        Assert.Equal(DescriptorKind.Config, DescriptorKinds.Of(manifest.ChildAt(Empty, 0)));
        Assert.Equal(DescriptorKind.Layer, DescriptorKinds.Of(manifest.ChildAt(Empty, 1)));
        Assert.Equal(DescriptorKind.Other, DescriptorKinds.Of(manifest.Child(Empty)));
        Assert.Equal(DescriptorKind.Layer, DescriptorKinds.Of(manifest.Child(Descriptor.FromContent(MediaTypes.OciLayerGzip, "l"u8))));
        Assert.Equal(DescriptorKind.Config, DescriptorKinds.Of(manifest.Child(Descriptor.FromContent(MediaTypes.DockerConfig, "c"u8))));
    }

    [Fact]
    public async Task WalkAndDispatchRecordThePositionOfEachChild()
    {
        var manifest = Descriptor.FromContent(MediaTypes.OciManifest, "m"u8);
        var children = new[] { Empty, Empty, Descriptor.FromContent(MediaTypes.OciLayerGzip, "l"u8) };
        var positions = new System.Collections.Concurrent.ConcurrentBag<int?>();
        ImageHandler handler = (node, _) =>
        {
            if (node.Parent is null) return ValueTask.FromResult(HandlerResult.Of(children));
            positions.Add(node.Position);
            return ValueTask.FromResult(HandlerResult.None);
        };

        await ImageHandlers.WalkAsync(handler, [manifest]);
        Assert.Equal([0, 1, 2], positions.Order());
        positions.Clear();
        await ImageHandlers.DispatchAsync(handler, [new ImageNode(manifest)], new DispatchOptions { HandleEachDigestOnce = false });
        Assert.Equal([0, 1, 2], positions.Order());
    }

    [Fact]
    public void ManifestsAreAttestationsArtifactsOrImages()
    {
        var index = new ImageNode(Descriptor.FromContent(MediaTypes.OciIndex, "i"u8));
        var body = Descriptor.FromContent(MediaTypes.OciManifest, "m"u8);
        var attestation = new Descriptor { MediaType = body.MediaType, Digest = body.Digest, Size = body.Size, Platform = new Platform { OS = "unknown", Architecture = "unknown" } };
        var annotated = new Descriptor
        {
            MediaType = body.MediaType, Digest = body.Digest, Size = body.Size,
            Annotations = new Dictionary<string, string> { [AttestationManifests.ReferenceTypeAnnotation] = AttestationManifests.AttestationReferenceType },
        };
        var typed = new Descriptor { MediaType = body.MediaType, Digest = body.Digest, Size = body.Size, ArtifactType = "application/example" };

        Assert.Equal(DescriptorKind.Index, DescriptorKinds.Of(index));
        Assert.Equal(DescriptorKind.Attestation, DescriptorKinds.Of(index.Child(attestation)));
        Assert.Equal(DescriptorKind.Attestation, DescriptorKinds.Of(index.Child(annotated)));
        Assert.Equal(DescriptorKind.Artifact, DescriptorKinds.Of(index.Child(typed)));
        Assert.Equal(DescriptorKind.Manifest, DescriptorKinds.Of(index.Child(body)));
        Assert.Equal(DescriptorKind.Artifact, DescriptorKinds.Of(new ImageNode(body), Parse($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{{Json(Empty)}},"layers":[]}""")));
        Assert.Equal(DescriptorKind.Manifest, DescriptorKinds.Of(new ImageNode(body), Parse($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{{Json(Descriptor.FromContent(MediaTypes.OciConfig, "{}"u8))}},"layers":[]}""")));
        Assert.Equal(DescriptorKind.Other, DescriptorKinds.Of(new ImageNode(Descriptor.FromContent("application/octet-stream", "x"u8))));
    }

    [Fact]
    public void APlatformIsTheNearestOneOnTheWayToTheRoot()
    {
        var arm = Platforms.Parse("linux/arm64/v8");
        var index = new ImageNode(Descriptor.FromContent(MediaTypes.OciIndex, "i"u8));
        var body = Descriptor.FromContent(MediaTypes.OciManifest, "m"u8);
        var manifest = index.ChildAt(new Descriptor { MediaType = body.MediaType, Digest = body.Digest, Size = body.Size, Platform = arm }, 0);

        Assert.Null(DescriptorKinds.PlatformOf(index));
        Assert.Same(arm, DescriptorKinds.PlatformOf(manifest.ChildAt(Empty, 1)));
    }

    private static ParsedManifest Parse(string json) => ManifestParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), MediaTypes.OciManifest);

    private static string Json(Descriptor descriptor) => $$"""{"mediaType":"{{descriptor.MediaType}}","digest":"{{descriptor.Digest}}","size":{{descriptor.Size}}}""";
}
