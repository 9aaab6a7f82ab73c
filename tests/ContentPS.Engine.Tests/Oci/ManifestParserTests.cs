using System.Text;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Oci;

public class ManifestParserTests
{
    private const string Abc = "sha256:" + TestData.AbcSha256;
    private const string Empty = "sha256:" + TestData.EmptySha256;

    private static readonly string OciManifestJson = $$$"""
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
         "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{Abc}}}","size":3},
         "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{{Empty}}}","size":0},
                   {"mediaType":"application/vnd.oci.image.layer.v1.tar+zstd","digest":"{{{Abc}}}","size":3}]}
        """;

    private static readonly string DockerManifestJson = $$$"""
        {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
         "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"{{{Abc}}}","size":3},
         "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"{{{Empty}}}","size":0}]}
        """;

    private static readonly string OciIndexJson = $$$"""
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
         "manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{Abc}}}","size":3,
                       "platform":{"architecture":"amd64","os":"linux"}}],
         "annotations":{"a":"b"}}
        """;

    private static readonly string DockerListJson = $$$"""
        {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json",
         "manifests":[{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"{{{Abc}}}","size":3,
                       "platform":{"architecture":"arm","os":"linux","variant":"v7"}}]}
        """;

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static ResourceExhaustedException TooLarge(Action action)
    {
        var ex = Assert.Throws<ResourceExhaustedException>(action);
        Assert.Equal("ManifestTooLarge", ex.ErrorId);
        return ex;
    }

    private static InvalidArgumentException Invalid(Action action, string errorId = "InvalidManifest")
    {
        var ex = Assert.Throws<InvalidArgumentException>(action);
        Assert.Equal(errorId, ex.ErrorId);
        return ex;
    }

    [Fact]
    public void ParsesOciManifest()
    {
        var manifest = ManifestParser.ParseManifest(B(OciManifestJson), MediaTypes.OciManifest);
        Assert.Equal(2, manifest.SchemaVersion);
        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(Digest.Parse(Abc), manifest.Config.Digest);
        Assert.Equal(2, manifest.Layers.Count);
        Assert.Equal(MediaTypes.OciLayerZstd, manifest.Layers[1].MediaType);
    }

    [Fact]
    public void ParsesDockerManifestAndList()
    {
        var manifest = ManifestParser.ParseManifest(B(DockerManifestJson), MediaTypes.DockerManifest);
        Assert.Equal(MediaTypes.DockerConfig, manifest.Config.MediaType);
        var list = ManifestParser.ParseIndex(B(DockerListJson), MediaTypes.DockerManifestList);
        Assert.Equal("v7", Assert.Single(list.Manifests).Platform!.Variant);
    }

    [Fact]
    public void ParsesOciIndex()
    {
        var index = ManifestParser.ParseIndex(B(OciIndexJson), MediaTypes.OciIndex + "; charset=utf-8");
        var child = Assert.Single(index.Manifests);
        Assert.Equal(new Platform { Architecture = "amd64", OS = "linux" }, child.Platform);
        Assert.Equal("b", index.Annotations!["a"]);
    }

    [Fact]
    public void GeneralParseReturnsKindAndChildren()
    {
        var parsedManifest = ManifestParser.Parse(B(OciManifestJson), MediaTypes.OciManifest);
        Assert.False(parsedManifest.IsIndex);
        Assert.Null(parsedManifest.Index);
        Assert.Equal(MediaTypes.OciManifest, parsedManifest.MediaType);
        Assert.Equal(new[] { Abc, Empty, Abc }, parsedManifest.Children.Select(d => d.Digest.ToString()));
        Assert.Equal(MediaTypes.OciConfig, parsedManifest.Children[0].MediaType);

        var parsedIndex = ManifestParser.Parse(B(OciIndexJson), MediaTypes.OciIndex);
        Assert.True(parsedIndex.IsIndex);
        Assert.Null(parsedIndex.Manifest);
        Assert.Equal([Abc], parsedIndex.Children.Select(d => d.Digest.ToString()));
        Assert.Equal("b", parsedIndex.Annotations!["a"]);
        Assert.Null(parsedIndex.Subject);
        Assert.Null(parsedIndex.ArtifactType);
        Assert.Null(parsedManifest.Subject);
        Assert.Null(parsedManifest.Annotations);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/octet-stream")]
    [InlineData("application/json")]
    [InlineData("text/plain; charset=utf-8")]
    public void GenericDeclaredTypeUsesTheBody(string? declared)
    {
        Assert.Equal(MediaTypes.DockerManifest, ManifestParser.Parse(B(DockerManifestJson), declared).MediaType);
        Assert.Equal(MediaTypes.OciIndex, ManifestParser.Parse(B(OciIndexJson), declared).MediaType);
        var noMediaType = $$$"""{"schemaVersion":2,"manifests":[]}""";
        Assert.Equal(MediaTypes.OciIndex, ManifestParser.Parse(B(noMediaType), declared).MediaType);
        var manifestNoMediaType = $$$"""{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"{{{Abc}}}","size":3},"layers":[]}""";
        Assert.Equal(MediaTypes.OciManifest, ManifestParser.Parse(B(manifestNoMediaType), declared).MediaType);
    }

    [Fact]
    public void ManifestWithoutMediaTypeFieldUsesDeclared()
    {
        var json = $$$"""{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"{{{Abc}}}","size":3},"layers":[]}""";
        Assert.Equal(MediaTypes.OciManifest, ManifestParser.Parse(B(json), MediaTypes.OciManifest).MediaType);
        Assert.Null(ManifestParser.ParseManifest(B(json), MediaTypes.OciManifest).MediaType);
    }

    [Fact]
    public void MismatchedMediaTypeIsRefused()
    {
        var ex = Invalid(() => ManifestParser.ParseManifest(B(DockerManifestJson), MediaTypes.OciManifest, "example.com/a@" + Abc), "MediaTypeMismatch");
        Assert.Equal($"manifest declares media type \"{MediaTypes.DockerManifest}\" but was served as \"{MediaTypes.OciManifest}\"", ex.Message);
        Assert.Equal("example.com/a@" + Abc, ex.Target);

        Invalid(() => ManifestParser.ParseIndex(B(DockerListJson), MediaTypes.OciIndex), "MediaTypeMismatch");
        Invalid(() => ManifestParser.Parse(B(OciIndexJson), MediaTypes.OciManifest), "MediaTypeMismatch");
    }

    [Fact]
    public void IndexAsManifestIsRefused()
    {
        var ex = Invalid(() => ManifestParser.ParseManifest(B(OciIndexJson), null));
        Assert.Equal($"expected a manifest but got an index ({MediaTypes.OciIndex})", ex.Message);
        var ex2 = Invalid(() => ManifestParser.ParseIndex(B(OciManifestJson), null));
        Assert.Equal($"expected an index but got a manifest ({MediaTypes.OciManifest})", ex2.Message);
        Invalid(() => ManifestParser.ParseManifest(B(OciIndexJson), MediaTypes.OciIndex));
        Invalid(() => ManifestParser.ParseIndex(B(OciManifestJson), MediaTypes.OciManifest));
    }

    [Fact]
    public void IndexBodyServedAsManifestWithoutMediaTypeField()
    {
        var json = $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"a/b","digest":"{{{Abc}}}","size":3}]}""";
        var ex = Invalid(() => ManifestParser.ParseManifest(B(json), MediaTypes.OciManifest));
        Assert.Equal("a manifest must have \"config\"", ex.Message);
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"config":{}}""", "an index must not have \"config\"")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"layers":[]}""", "an index must not have \"layers\"")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json"}""", "an index must have \"manifests\"")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":null}""", "field \"manifests\" of an index must be an array, got Null")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":{}}""", "field \"manifests\" of an index must be an array, got Object")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}""", "a manifest must have \"config\"")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":[],"layers":[]}""", "field \"config\" of a manifest must be an object, got Array")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"manifests":[]}""", "a manifest must not have \"manifests\"")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":{}}""", "manifest field \"layers\" must be an array, got Object")]
    [InlineData("""{"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{}}""", "manifest has no \"schemaVersion\"")]
    [InlineData("""{"schemaVersion":"2","config":{}}""", "manifest field \"schemaVersion\" must be an integer, got \"2\"")]
    [InlineData("""{"schemaVersion":2.5,"config":{}}""", "manifest field \"schemaVersion\" must be an integer, got 2.5")]
    [InlineData("""{"schemaVersion":3,"config":{}}""", "manifest has schemaVersion 3; only 2 is supported")]
    [InlineData("""{"schemaVersion":2,"mediaType":5,"config":{}}""", "manifest field \"mediaType\" must be a string, got Number")]
    [InlineData("""{"schemaVersion":2}""", "manifest has no \"mediaType\" and neither \"manifests\" nor \"config\"; cannot tell what it is")]
    [InlineData("[]", "manifest must be a JSON object, got Array")]
    [InlineData("\"x\"", "manifest must be a JSON object, got String")]
    [InlineData("null", "manifest must be a JSON object, got Null")]
    public void ShapeErrors(string json, string message)
    {
        var ex = Invalid(() => ManifestParser.Parse(B(json), null));
        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("{\"schemaVersion\":2,}")]
    [InlineData("{\"schemaVersion\":2} // comment")]
    [InlineData("{\"schemaVersion\":2} {}")]
    [InlineData("{'schemaVersion':2}")]
    [InlineData("\u00ff\u00fe")]
    public void GarbageJsonIsInvalidManifestNotJsonException(string body)
    {
        var ex = Invalid(() => ManifestParser.Parse(B(body), MediaTypes.OciManifest));
        Assert.StartsWith("manifest is not valid JSON: ", ex.Message);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(ex.InnerException);
    }

    [Fact]
    public void InvalidUtf8IsInvalidManifest()
    {
        byte[] body = [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'];
        Invalid(() => ManifestParser.Parse(body, null));
    }

    [Fact]
    public void TrailingWhiteSpaceIsFine()
    {
        ManifestParser.ParseIndex(B(OciIndexJson + "\n\r\n  "), MediaTypes.OciIndex);
    }

    [Theory]
    [InlineData("\"digest\":\"sha256:abc\",\"size\":3", "sha256 must have 64 hex characters, got 3")]
    [InlineData("\"digest\":\"sha256:../../../etc/passwd\",\"size\":3", "is not allowed in the encoded part")]
    [InlineData("\"digest\":\"" + Abc + "\",\"size\":\"3\"", "manifest is not valid: ")]
    [InlineData("\"digest\":\"" + Abc + "\"", "missing required properties")]
    [InlineData("\"size\":3", "missing required properties")]
    public void BadChildDescriptorsAreInvalidManifest(string fields, string messagePart)
    {
        var json = $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"a/b",{{{fields}}}}]}""";
        var ex = Invalid(() => ManifestParser.ParseIndex(B(json), MediaTypes.OciIndex));
        Assert.Contains(messagePart, ex.Message);
    }

    [Fact]
    public void NegativeSizeIsInvalidManifest()
    {
        var json = $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"a/b","digest":"{{{Abc}}}","size":3},"layers":[{"mediaType":"a/b","digest":"{{{Abc}}}","size":-1}]}""";
        var ex = Invalid(() => ManifestParser.ParseManifest(B(json), MediaTypes.OciManifest));
        Assert.Equal($"manifest descriptor layers[0] is invalid: descriptor {Abc} has a negative size -1", ex.Message);
        var inner = Assert.IsType<InvalidArgumentException>(ex.InnerException);
        Assert.Equal("InvalidDescriptor", inner.ErrorId);
    }

    [Fact]
    public void BadChildMediaTypeIsInvalidManifest()
    {
        var json = $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"nonsense","digest":"{{{Abc}}}","size":3},"layers":[]}""";
        var ex = Invalid(() => ManifestParser.ParseManifest(B(json), MediaTypes.OciManifest));
        Assert.StartsWith("manifest descriptor config is invalid: ", ex.Message);
    }

    [Fact]
    public void EmbeddedDataIsVerified()
    {
        var good = $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.example","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:{{{TestData.EmptyJsonSha256}}}","size":2,"data":"e30="},"layers":[]}""";
        var manifest = ManifestParser.ParseManifest(B(good), MediaTypes.OciManifest);
        Assert.Equal("{}"u8.ToArray(), manifest.Config.Data);
        Assert.Equal("application/vnd.example", manifest.ArtifactType);

        var bad = good.Replace("e30=", "W10=");
        var ex = Assert.Throws<FailedPreconditionException>(() => ManifestParser.ParseManifest(B(bad), MediaTypes.OciManifest));
        Assert.Equal("DigestMismatch", ex.ErrorId);

        var badSize = good.Replace("\"size\":2", "\"size\":5");
        Assert.Equal("SizeMismatch", Assert.Throws<FailedPreconditionException>(() => ManifestParser.ParseManifest(B(badSize), MediaTypes.OciManifest)).ErrorId);

        var notBase64 = good.Replace("e30=", "!!!");
        Invalid(() => ManifestParser.ParseManifest(B(notBase64), MediaTypes.OciManifest));
    }

    [Fact]
    public void SubjectIsParsedAndValidated()
    {
        var json = $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"a/b","digest":"{{{Abc}}}","size":3},"layers":[],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{Empty}}}","size":0}}""";
        var parsed = ManifestParser.Parse(B(json), MediaTypes.OciManifest);
        Assert.Equal(Digest.Parse(Empty), parsed.Subject!.Digest);
        var bad = json.Replace("\"size\":0}", "\"size\":-5}");
        Assert.StartsWith("manifest descriptor subject is invalid", Invalid(() => ManifestParser.Parse(B(bad), MediaTypes.OciManifest)).Message);
    }

    [Theory]
    [InlineData(MediaTypes.DockerSchema1Manifest)]
    [InlineData(MediaTypes.DockerSchema1SignedManifest)]
    [InlineData("application/vnd.docker.distribution.manifest.v1+prettyjws; charset=utf-8")]
    public void DeclaredSchema1IsUnimplemented(string declared)
    {
        var ex = Assert.Throws<UnimplementedException>(() => ManifestParser.Parse(B("{}"), declared, "docker.io/library/old:1"));
        Assert.Equal("UnsupportedSchema1", ex.ErrorId);
        Assert.Equal(ErrorClass.NotImplemented, ex.Class);
        Assert.Contains("Docker schema 1 manifests are not supported", ex.Message);
        Assert.Equal("docker.io/library/old:1", ex.Target);
    }

    [Theory]
    [InlineData("""{"schemaVersion":1,"name":"library/x","tag":"1","architecture":"amd64","fsLayers":[],"history":[]}""", null)]
    [InlineData("""{"schemaVersion":1,"name":"library/x","tag":"1","fsLayers":[]}""", "application/vnd.docker.distribution.manifest.v2+json")]
    [InlineData("""{"schemaVersion":1,"config":{}}""", "application/vnd.oci.image.manifest.v1+json")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v1+json"}""", null)]
    [InlineData("""{"schemaVersion":1,"fsLayers":[],"signatures":[]}""", "application/octet-stream")]
    public void Schema1BodyIsUnimplemented(string json, string? declared)
    {
        var ex = Assert.Throws<UnimplementedException>(() => ManifestParser.Parse(B(json), declared));
        Assert.Equal("UnsupportedSchema1", ex.ErrorId);
    }

    [Theory]
    [InlineData("application/vnd.oci.image.config.v1+json")]
    [InlineData("application/vnd.oci.image.layer.v1.tar+gzip")]
    [InlineData("application/vnd.oci.artifact.manifest.v1+json")]
    public void DeclaredNonManifestTypeIsUnsupported(string declared)
    {
        var ex = Assert.Throws<UnimplementedException>(() => ManifestParser.Parse(B(OciManifestJson), declared));
        Assert.Equal("UnsupportedMediaType", ex.ErrorId);
        Assert.Contains(declared, ex.Message);
    }

    [Fact]
    public void BodyWithUnknownMediaTypeServedGenericallyIsUnsupported()
    {
        var json = """{"schemaVersion":2,"mediaType":"application/vnd.oci.artifact.manifest.v1+json","blobs":[]}""";
        Assert.Equal("UnsupportedMediaType", Assert.Throws<UnimplementedException>(() => ManifestParser.Parse(B(json), null)).ErrorId);
    }

    [Fact]
    public void TooLargeBodyIsRefusedBeforeParsing()
    {
        var body = new byte[ManifestParser.MaxManifestSize + 1];
        var ex = TooLarge(() => ManifestParser.Parse(body, MediaTypes.OciManifest, "r"));
        Assert.Equal("manifest is 4194305 bytes; the limit is 4194304 bytes (4 MiB)", ex.Message);
        Assert.Equal("r", ex.Target);
        Assert.Null(ManifestParser.DetectMediaType(body));
    }

    [Fact]
    public void BodyOfExactlyTheLimitIsAccepted()
    {
        var prefix = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]""";
        var body = B(prefix + new string(' ', ManifestParser.MaxManifestSize - prefix.Length - 1) + "}");
        Assert.Equal(ManifestParser.MaxManifestSize, body.Length);
        Assert.Empty(ManifestParser.ParseIndex(body, MediaTypes.OciIndex).Manifests);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(4194304L)]
    public void EnsureSizeAllowedPasses(long? size)
    {
        ManifestParser.EnsureSizeAllowed(size);
    }

    [Theory]
    [InlineData(4194305L)]
    [InlineData(long.MaxValue)]
    public void EnsureSizeAllowedRefuses(long size)
    {
        var ex = TooLarge(() => ManifestParser.EnsureSizeAllowed(size, "sha256:x"));
        Assert.Equal("sha256:x", ex.Target);
        Assert.Contains($"manifest is {size} bytes", ex.Message);
    }

    [Fact]
    public async Task ReadBodyAsyncReadsUpToTheLimit()
    {
        var body = await ManifestParser.ReadBodyAsync(new MemoryStream(B(OciIndexJson)), OciIndexJson.Length);
        Assert.Equal(B(OciIndexJson), body);
        Assert.Equal(B(OciIndexJson), await ManifestParser.ReadBodyAsync(new MemoryStream(B(OciIndexJson))));
    }

    [Fact]
    public async Task ReadBodyAsyncStopsAtTheLimitWhateverTheDeclaredSize()
    {
        var huge = new MemoryStream(new byte[ManifestParser.MaxManifestSize + 10]);
        var ex = await Assert.ThrowsAsync<ResourceExhaustedException>(() => ManifestParser.ReadBodyAsync(huge, declaredSize: 100));
        Assert.Equal("ManifestTooLarge", ex.ErrorId);
        Assert.Equal("manifest is more than 4194304 bytes; the limit is 4194304 bytes (4 MiB)", ex.Message);
        Assert.True(huge.Position <= ManifestParser.MaxManifestSize + 64 * 1024);

        var declaredTooBig = await Assert.ThrowsAsync<ResourceExhaustedException>(() => ManifestParser.ReadBodyAsync(new MemoryStream(), declaredSize: 5_000_000));
        Assert.Equal("ManifestTooLarge", declaredTooBig.ErrorId);
    }

    [Theory]
    [InlineData("""{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{}}""", MediaTypes.DockerManifest)]
    [InlineData("""{"mediaType":"x/y"}""", "x/y")]
    [InlineData("""{"schemaVersion":2,"manifests":[]}""", MediaTypes.OciIndex)]
    [InlineData("""{"schemaVersion":2,"config":{}}""", MediaTypes.OciManifest)]
    [InlineData("""{"schemaVersion":2,"layers":[]}""", MediaTypes.OciManifest)]
    [InlineData("""{"schemaVersion":1,"fsLayers":[]}""", MediaTypes.DockerSchema1Manifest)]
    [InlineData("""{"schemaVersion":1,"fsLayers":[],"signatures":[]}""", MediaTypes.DockerSchema1SignedManifest)]
    [InlineData("""{"fsLayers":[]}""", MediaTypes.DockerSchema1Manifest)]
    [InlineData("""{"schemaVersion":2}""", null)]
    [InlineData("""{"mediaType":5,"manifests":[]}""", MediaTypes.OciIndex)]
    [InlineData("[]", null)]
    [InlineData("garbage", null)]
    [InlineData("", null)]
    public void DetectMediaType(string body, string? expected)
    {
        Assert.Equal(expected, ManifestParser.DetectMediaType(B(body)));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("application/octet-stream", true)]
    [InlineData("binary/octet-stream", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("text/plain", true)]
    [InlineData(MediaTypes.OciManifest, false)]
    public void GenericMediaTypes(string? mediaType, bool generic)
    {
        Assert.Equal(generic, ManifestParser.IsGenericMediaType(mediaType));
    }

    [Fact]
    public void DuplicateKeysLastOneWinsConsistently()
    {
        // The shape check and the deserializer must agree on which duplicate counts.
        var json = $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"a/b","digest":"{{{Abc}}}","size":3}}""";
        var parsed = ManifestParser.Parse(B(json), null);
        Assert.Equal(MediaTypes.OciManifest, parsed.MediaType);
        Assert.Equal(MediaTypes.OciManifest, parsed.Manifest!.MediaType);
    }

    [Theory]
    [InlineData("\"platform\":{\"os\":\"linux\"}")]
    [InlineData("\"platform\":{\"architecture\":\"amd64\"}")]
    [InlineData("\"platform\":{\"architecture\":\"\",\"os\":\"linux\"}")]
    public void PlatformWithoutArchitectureOrOsIsInvalid(string platform)
    {
        var json = $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"a/b","digest":"{{{Abc}}}","size":3,{{{platform}}}}]}""";
        var ex = Invalid(() => ManifestParser.ParseIndex(B(json), MediaTypes.OciIndex));
        Assert.Equal($"manifest descriptor manifests[0] is invalid: descriptor {Abc} has a platform without \"architecture\" or \"os\"", ex.Message);
    }

    [Fact]
    public void EffectiveMediaTypeUsesTheBodySpelling()
    {
        Assert.Equal(MediaTypes.OciIndex, ManifestParser.Parse(B(OciIndexJson), "Application/VND.OCI.Image.Index.v1+JSON").MediaType);
    }
}
