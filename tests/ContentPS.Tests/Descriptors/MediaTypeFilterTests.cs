using ContentPS.Engine.Oci;
using ContentPS.Internal;

namespace ContentPS.Tests.Descriptors;

/// <summary>The names a media type answers to in <c>Get-ImageDescriptor -MediaType</c>.</summary>
public sealed class MediaTypeFilterTests
{
    [Theory]
    [InlineData("layer*", MediaTypes.OciLayerGzip, true)]
    [InlineData("layer*", MediaTypes.DockerLayerGzip, true)]
    [InlineData("layer*", MediaTypes.OciLayerNonDistributableGzip, true)]
    [InlineData("layer*", MediaTypes.OciConfig, false)]
    [InlineData("LAYER.GZIP", MediaTypes.OciLayerGzip, true)]
    [InlineData("layer.gzip", MediaTypes.DockerLayerGzip, true)]
    [InlineData("layer.gzip", MediaTypes.OciLayerZstd, false)]
    [InlineData("index", MediaTypes.OciIndex, true)]
    [InlineData("index", MediaTypes.DockerManifestList, true)]
    [InlineData("list", MediaTypes.DockerManifestList, true)]
    [InlineData("manifest", MediaTypes.DockerManifest, true)]
    [InlineData("manifest", MediaTypes.OciIndex, false)]
    [InlineData("config", MediaTypes.DockerConfig, true)]
    [InlineData("config", MediaTypes.OciEmpty, false)]
    [InlineData("oci.*", MediaTypes.DockerManifest, false)]
    [InlineData("*spdx*", "application/spdx+json", true)]
    [InlineData("application/vnd.oci.image.manifest.v1+json", MediaTypes.OciManifest + "; charset=utf-8", true)]
    public void APatternMatchesAMediaTypeByAnyOfItsNames(string pattern, string mediaType, bool matches)
    {
        Assert.Equal(matches, new MediaTypeFilter([pattern]).Matches(mediaType));
    }

    [Fact]
    public void AnyOfSeveralPatternsIsEnough()
    {
        var filter = new MediaTypeFilter(["config", "index"]);

        Assert.True(filter.Matches(MediaTypes.OciConfig));
        Assert.True(filter.Matches(MediaTypes.OciIndex));
        Assert.False(filter.Matches(MediaTypes.OciManifest));
    }
}
