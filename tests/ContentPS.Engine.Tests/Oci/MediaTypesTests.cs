using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Oci;

public class MediaTypesTests
{
    // index, manifest, config, layer, nondistributable, schema1, encrypted, known
    [Theory]
    [InlineData(MediaTypes.OciIndex, true, false, false, false, false, false, false, true)]
    [InlineData(MediaTypes.DockerManifestList, true, false, false, false, false, false, false, true)]
    [InlineData(MediaTypes.OciManifest, false, true, false, false, false, false, false, true)]
    [InlineData(MediaTypes.DockerManifest, false, true, false, false, false, false, false, true)]
    [InlineData(MediaTypes.OciConfig, false, false, true, false, false, false, false, true)]
    [InlineData(MediaTypes.DockerConfig, false, false, true, false, false, false, false, true)]
    [InlineData(MediaTypes.OciEmpty, false, false, false, false, false, false, false, true)]
    [InlineData(MediaTypes.OciLayoutHeader, false, false, false, false, false, false, false, true)]
    [InlineData(MediaTypes.OciLayer, false, false, false, true, false, false, false, true)]
    [InlineData(MediaTypes.OciLayerGzip, false, false, false, true, false, false, false, true)]
    [InlineData(MediaTypes.OciLayerZstd, false, false, false, true, false, false, false, true)]
    [InlineData(MediaTypes.OciLayerNonDistributable, false, false, false, true, true, false, false, true)]
    [InlineData(MediaTypes.OciLayerNonDistributableGzip, false, false, false, true, true, false, false, true)]
    [InlineData(MediaTypes.OciLayerNonDistributableZstd, false, false, false, true, true, false, false, true)]
    [InlineData(MediaTypes.OciLayerEncrypted, false, false, false, true, false, false, true, true)]
    [InlineData(MediaTypes.OciLayerGzipEncrypted, false, false, false, true, false, false, true, true)]
    [InlineData(MediaTypes.OciLayerZstdEncrypted, false, false, false, true, false, false, true, true)]
    [InlineData(MediaTypes.DockerLayer, false, false, false, true, false, false, false, true)]
    [InlineData(MediaTypes.DockerLayerGzip, false, false, false, true, false, false, false, true)]
    [InlineData(MediaTypes.DockerLayerZstd, false, false, false, true, false, false, false, true)]
    [InlineData(MediaTypes.DockerForeignLayer, false, false, false, true, true, false, false, true)]
    [InlineData(MediaTypes.DockerForeignLayerGzip, false, false, false, true, true, false, false, true)]
    [InlineData(MediaTypes.DockerSchema1Manifest, false, false, false, false, false, true, false, true)]
    [InlineData(MediaTypes.DockerSchema1SignedManifest, false, false, false, false, false, true, false, true)]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip+encrypted", false, false, false, true, true, false, true, false)]
    [InlineData("application/vnd.oci.image.manifest.v1+json; charset=utf-8", false, true, false, false, false, false, false, true)]
    [InlineData("  Application/VND.OCI.Image.Index.v1+JSON ", true, false, false, false, false, false, false, true)]
    [InlineData("application/vnd.cncf.helm.config.v1+json", false, false, false, false, false, false, false, false)]
    [InlineData("application/octet-stream", false, false, false, false, false, false, false, false)]
    [InlineData("application/vnd.oci.image.manifest.v1+jsonx", false, false, false, false, false, false, false, false)]
    [InlineData("", false, false, false, false, false, false, false, false)]
    [InlineData(null, false, false, false, false, false, false, false, false)]
    public void Predicates(string? mediaType, bool index, bool manifest, bool config, bool layer, bool nonDistributable, bool schema1, bool encrypted, bool known)
    {
        Assert.Equal(index, MediaTypes.IsIndex(mediaType));
        Assert.Equal(manifest, MediaTypes.IsManifest(mediaType));
        Assert.Equal(config, MediaTypes.IsConfig(mediaType));
        Assert.Equal(layer, MediaTypes.IsLayer(mediaType));
        Assert.Equal(nonDistributable, MediaTypes.IsNonDistributable(mediaType));
        Assert.Equal(schema1, MediaTypes.IsSchema1(mediaType));
        Assert.Equal(encrypted, MediaTypes.IsEncrypted(mediaType));
        Assert.Equal(known, MediaTypes.IsKnown(mediaType));
    }

    [Fact]
    public void ConstantValuesMatchTheSpecs()
    {
        Assert.Equal("application/vnd.oci.image.index.v1+json", MediaTypes.OciIndex);
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", MediaTypes.OciManifest);
        Assert.Equal("application/vnd.oci.image.config.v1+json", MediaTypes.OciConfig);
        Assert.Equal("application/vnd.oci.empty.v1+json", MediaTypes.OciEmpty);
        Assert.Equal("application/vnd.oci.layout.header.v1+json", MediaTypes.OciLayoutHeader);
        Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip", MediaTypes.OciLayerGzip);
        Assert.Equal("application/vnd.oci.image.layer.v1.tar+zstd", MediaTypes.OciLayerZstd);
        Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip+encrypted", MediaTypes.OciLayerGzipEncrypted);
        Assert.Equal("application/vnd.docker.distribution.manifest.list.v2+json", MediaTypes.DockerManifestList);
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", MediaTypes.DockerManifest);
        Assert.Equal("application/vnd.docker.container.image.v1+json", MediaTypes.DockerConfig);
        Assert.Equal("application/vnd.docker.image.rootfs.diff.tar.gzip", MediaTypes.DockerLayerGzip);
        Assert.Equal("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", MediaTypes.DockerForeignLayerGzip);
        Assert.Equal("application/vnd.docker.distribution.manifest.v1+json", MediaTypes.DockerSchema1Manifest);
        Assert.Equal("application/vnd.docker.distribution.manifest.v1+prettyjws", MediaTypes.DockerSchema1SignedManifest);
    }

    [Theory]
    [InlineData(MediaTypes.OciLayer, null)]
    [InlineData(MediaTypes.OciLayerGzip, "gzip")]
    [InlineData(MediaTypes.OciLayerZstd, "zstd")]
    [InlineData(MediaTypes.OciLayerGzipEncrypted, "gzip")]
    [InlineData(MediaTypes.OciLayerNonDistributableZstd, "zstd")]
    [InlineData(MediaTypes.DockerLayerGzip, "gzip")]
    [InlineData(MediaTypes.DockerLayerZstd, "zstd")]
    [InlineData(MediaTypes.DockerForeignLayerGzip, "gzip")]
    [InlineData(MediaTypes.DockerLayer, null)]
    [InlineData(MediaTypes.OciManifest, null)]
    public void LayerCompression(string mediaType, string? compression)
    {
        Assert.Equal(compression, MediaTypes.LayerCompression(mediaType));
    }

    [Theory]
    [InlineData("a/b; x=y", "a/b")]
    [InlineData("  a/b  ", "a/b")]
    [InlineData("a/b", "a/b")]
    [InlineData(null, "")]
    public void StripParameters(string? input, string expected)
    {
        Assert.Equal(expected, MediaTypes.StripParameters(input));
    }

    [Theory]
    [InlineData(MediaTypes.OciManifest)]
    [InlineData(MediaTypes.DockerSchema1SignedManifest)]
    [InlineData("application/vnd.cncf.helm.chart.content.v1.tar+gzip")]
    [InlineData("text/plain")]
    [InlineData("a/b")]
    [InlineData("1/2")]
    [InlineData("application/x!#$&-^_.+z")]
    public void ValidAccepts(string mediaType)
    {
        MediaTypes.Validate(mediaType);
        Assert.True(MediaTypes.IsValid(mediaType));
    }

    [Theory]
    [InlineData("", "media type is empty")]
    [InlineData("application", "has no '/' between type and subtype")]
    [InlineData("/json", "has an empty type")]
    [InlineData("application/", "has an empty subtype")]
    [InlineData("application/json; charset=utf-8", "has parameters")]
    [InlineData("application/js on", "character ' ' at position 14")]
    [InlineData("application/a/b", "character '/' at position 13")]
    [InlineData("application/.json", "the subtype must start with a letter or digit, found '.'")]
    [InlineData("+application/json", "the type must start with a letter or digit, found '+'")]
    [InlineData("applicatión/json", "character 'ó' at position 9")]
    [InlineData(" application/json", "must start with a letter or digit")]
    public void ValidateRejects(string mediaType, string messagePart)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => MediaTypes.Validate(mediaType));
        Assert.Equal("InvalidMediaType", ex.ErrorId);
        Assert.Equal(mediaType, ex.Target);
        Assert.Contains(messagePart, ex.Message);
        Assert.False(MediaTypes.IsValid(mediaType));
    }

    [Fact]
    public void ValidateRejectsOverlongNames()
    {
        Assert.True(MediaTypes.IsValid("a/" + new string('b', 127)));
        var ex = Assert.Throws<InvalidArgumentException>(() => MediaTypes.Validate("a/" + new string('b', 128)));
        Assert.Contains("subtype of 128 characters (at most 127)", ex.Message);
        Assert.Throws<InvalidArgumentException>(() => MediaTypes.Validate(null));
    }
}
