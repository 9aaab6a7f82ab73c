using System.Text;
using System.Text.Json;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Oci;

public class OciJsonTests
{
    private static readonly string Abc = "sha256:" + TestData.AbcSha256;
    private static readonly string EmptyJson = "sha256:" + TestData.EmptyJsonSha256;

    [Fact]
    public void MinimalDescriptorOmitsNulls()
    {
        var descriptor = new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Parse(Abc), Size = 3 };
        var json = JsonSerializer.Serialize(descriptor, OciJsonContext.Relaxed.Descriptor);
        Assert.Equal($"{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"{Abc}\",\"size\":3}}", json);
    }

    [Fact]
    public void FullDescriptorRoundTrips()
    {
        var json = $$"""
            {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{Abc}}","size":3,"urls":["https://example.com/x"],"annotations":{"org.opencontainers.image.ref.name":"v1","b":"2"},"platform":{"architecture":"arm","os":"linux","os.version":"10.0.17763.1","os.features":["win32k"],"variant":"v7"},"artifactType":"application/vnd.example+type","data":"YWJj"}
            """;
        var descriptor = JsonSerializer.Deserialize(json, OciJsonContext.Relaxed.Descriptor)!;
        Assert.Equal(MediaTypes.OciManifest, descriptor.MediaType);
        Assert.Equal(Digest.Parse(Abc), descriptor.Digest);
        Assert.Equal(3, descriptor.Size);
        Assert.Equal(["https://example.com/x"], descriptor.Urls!);
        Assert.Equal("v1", descriptor.Annotations!["org.opencontainers.image.ref.name"]);
        Assert.Equal("2", descriptor.Annotations["b"]);
        Assert.Equal(new Platform { Architecture = "arm", OS = "linux", OSVersion = "10.0.17763.1", OSFeatures = ["win32k"], Variant = "v7" }, descriptor.Platform);
        Assert.Equal("application/vnd.example+type", descriptor.ArtifactType);
        Assert.Equal("abc"u8.ToArray(), descriptor.Data);
        descriptor.Validate();

        Assert.Equal(json.Trim(), JsonSerializer.Serialize(descriptor, OciJsonContext.Relaxed.Descriptor));
    }

    [Theory]
    [InlineData("{\"mediaType\":\"a/b\",\"digest\":\"sha256:abc\",\"size\":1}", "sha256 must have 64 hex characters")]
    [InlineData("{\"mediaType\":\"a/b\",\"digest\":\"SHA256:abc\",\"size\":1}", "must be lowercase")]
    [InlineData("{\"mediaType\":\"a/b\",\"digest\":5,\"size\":1}", "a digest must be a JSON string")]
    [InlineData("{\"mediaType\":\"a/b\",\"size\":1}", "digest")]
    [InlineData("{\"digest\":\"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\"size\":1}", "mediaType")]
    public void BadDescriptorJsonIsJsonException(string json, string messagePart)
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, OciJsonContext.Relaxed.Descriptor));
        Assert.Contains(messagePart, ex.Message);
    }

    [Fact]
    public void InvalidDigestInJsonCarriesTheClassifiedError()
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("{\"mediaType\":\"a/b\",\"digest\":\"sha256:../../etc\",\"size\":1}", OciJsonContext.Relaxed.Descriptor));
        var inner = Assert.IsType<InvalidArgumentException>(ex.InnerException);
        Assert.Equal("InvalidDigest", inner.ErrorId);
        Assert.Equal("sha256:../../etc", inner.Target);
    }

    [Fact]
    public void DigestSerializesAsString()
    {
        Assert.Equal($"\"{Abc}\"", JsonSerializer.Serialize(Digest.Parse(Abc), OciJsonContext.Relaxed.Digest));
        Assert.Equal(Digest.Parse(Abc), JsonSerializer.Deserialize($"\"{Abc}\"", OciJsonContext.Relaxed.Digest));
    }

    [Fact]
    public void DataMustMatchSizeAndDigest()
    {
        var good = new Descriptor { MediaType = MediaTypes.OciEmpty, Digest = Digest.Parse(EmptyJson), Size = 2, Data = "{}"u8.ToArray() };
        good.VerifyData();
        good.Validate();

        var wrongBytes = new Descriptor { MediaType = MediaTypes.OciEmpty, Digest = Digest.Parse(EmptyJson), Size = 2, Data = "[]"u8.ToArray() };
        var ex = Assert.Throws<FailedPreconditionException>(wrongBytes.VerifyData);
        Assert.Equal("DigestMismatch", ex.ErrorId);
        Assert.Contains(EmptyJson, ex.Message);

        var wrongSize = new Descriptor { MediaType = MediaTypes.OciEmpty, Digest = Digest.Parse(EmptyJson), Size = 3, Data = "{}"u8.ToArray() };
        var sizeEx = Assert.Throws<FailedPreconditionException>(wrongSize.Validate);
        Assert.Equal("SizeMismatch", sizeEx.ErrorId);
        Assert.Equal($"descriptor {EmptyJson}: embedded data is 2 bytes, size says 3", sizeEx.Message);

        var noData = new Descriptor { MediaType = MediaTypes.OciEmpty, Digest = Digest.Parse(Abc), Size = 99 };
        noData.VerifyData();
    }

    [Fact]
    public void DataWithUnsupportedAlgorithmCannotBeVerified()
    {
        var d = new Descriptor { MediaType = "a/b", Digest = Digest.Parse("blake3:" + TestData.AbcSha256), Size = 3, Data = "abc"u8.ToArray() };
        Assert.Throws<UnimplementedException>(d.VerifyData);
    }

    [Fact]
    public void ValidateRejectsNegativeSizeAndBadMediaType()
    {
        var negative = new Descriptor { MediaType = "a/b", Digest = Digest.Parse(Abc), Size = -1 };
        var ex = Assert.Throws<InvalidArgumentException>(negative.Validate);
        Assert.Equal("InvalidDescriptor", ex.ErrorId);
        Assert.Equal($"descriptor {Abc} has a negative size -1", ex.Message);

        var badType = new Descriptor { MediaType = "not a media type", Digest = Digest.Parse(Abc), Size = 1 };
        var typeEx = Assert.Throws<InvalidArgumentException>(badType.Validate);
        Assert.Equal("InvalidDescriptor", typeEx.ErrorId);
        Assert.Contains("has no '/'", typeEx.Message);
    }

    [Fact]
    public void ManifestRoundTrips()
    {
        var manifest = new Manifest
        {
            MediaType = MediaTypes.OciManifest,
            ArtifactType = "application/vnd.example.sbom",
            Config = new Descriptor { MediaType = MediaTypes.OciEmpty, Digest = Digest.Parse(EmptyJson), Size = 2, Data = "{}"u8.ToArray() },
            Layers =
            [
                new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Parse(Abc), Size = 3, Annotations = new Dictionary<string, string> { ["org.opencontainers.image.title"] = "a.tgz" } },
            ],
            Subject = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = Digest.Parse("sha256:" + TestData.EmptySha256), Size = 0 },
            Annotations = new Dictionary<string, string> { ["org.opencontainers.image.created"] = "2024-01-01T00:00:00Z" },
        };
        var json = JsonSerializer.Serialize(manifest, OciJsonContext.Relaxed.Manifest);
        Assert.Equal(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\"application/vnd.example.sbom\","
            + $"\"config\":{{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"{EmptyJson}\",\"size\":2,\"data\":\"e30=\"}},"
            + $"\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"{Abc}\",\"size\":3,\"annotations\":{{\"org.opencontainers.image.title\":\"a.tgz\"}}}}],"
            + $"\"subject\":{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:{TestData.EmptySha256}\",\"size\":0}},"
            + "\"annotations\":{\"org.opencontainers.image.created\":\"2024-01-01T00:00:00Z\"}}",
            json);

        var back = ManifestParser.ParseManifest(Encoding.UTF8.GetBytes(json), MediaTypes.OciManifest);
        Assert.Equal(json, JsonSerializer.Serialize(back, OciJsonContext.Relaxed.Manifest));
        Assert.Equal("a.tgz", back.Layers[0].Annotations!["org.opencontainers.image.title"]);
        Assert.Equal(manifest.Subject.Digest, back.Subject!.Digest);
    }

    [Fact]
    public void ManifestWithoutLayersHasEmptyList()
    {
        var manifest = JsonSerializer.Deserialize($"{{\"schemaVersion\":2,\"config\":{{\"mediaType\":\"a/b\",\"digest\":\"{Abc}\",\"size\":3}}}}", OciJsonContext.Relaxed.Manifest)!;
        Assert.Empty(manifest.Layers);
        Assert.Null(manifest.MediaType);
    }

    [Fact]
    public void IndexRoundTripsWithPlatforms()
    {
        var index = new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests =
            [
                new Descriptor { MediaType = MediaTypes.OciManifest, Digest = Digest.Parse(Abc), Size = 3, Platform = new Platform { Architecture = "amd64", OS = "linux" } },
                new Descriptor { MediaType = MediaTypes.OciManifest, Digest = Digest.Parse(EmptyJson), Size = 2, Platform = new Platform { Architecture = "arm64", OS = "linux", Variant = "v8" } },
            ],
            Annotations = new Dictionary<string, string> { ["x"] = "y" },
        };
        var json = JsonSerializer.Serialize(index, OciJsonContext.Relaxed.ImageIndex);
        Assert.Equal(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
            + $"{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"{Abc}\",\"size\":3,\"platform\":{{\"architecture\":\"amd64\",\"os\":\"linux\"}}}},"
            + $"{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"{EmptyJson}\",\"size\":2,\"platform\":{{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}}}}"
            + "],\"annotations\":{\"x\":\"y\"}}",
            json);
        var back = ManifestParser.ParseIndex(Encoding.UTF8.GetBytes(json), MediaTypes.OciIndex);
        Assert.Equal(2, back.Manifests.Count);
        Assert.Equal("v8", back.Manifests[1].Platform!.Variant);
        Assert.Equal(json, JsonSerializer.Serialize(back, OciJsonContext.Relaxed.ImageIndex));
    }

    [Fact]
    public void ImageConfigReadsDockerAndOciFields()
    {
        var diffId = "sha256:" + TestData.AbcSha256;
        var json = $$"""
            {
              "created": "2024-01-11T21:31:20.497373453Z",
              "author": "someone",
              "architecture": "arm64",
              "variant": "v8",
              "os": "linux",
              "config": {
                "User": "1000:1000",
                "ExposedPorts": { "80/tcp": {}, "443/tcp": {} },
                "Env": ["PATH=/usr/bin", "A=b"],
                "Entrypoint": ["/entry"],
                "Cmd": ["serve", "--port", "80"],
                "Volumes": { "/data": {} },
                "WorkingDir": "/app",
                "Labels": { "org.opencontainers.image.source": "https://example.com" },
                "StopSignal": "SIGTERM",
                "Healthcheck": { "Test": ["CMD", "true"] }
              },
              "rootfs": { "type": "layers", "diff_ids": ["{{diffId}}"] },
              "history": [
                { "created": "2024-01-11T21:31:20Z", "created_by": "/bin/sh -c #(nop) ADD file:x in /", "comment": "c" },
                { "created_by": "CMD [\"serve\"]", "empty_layer": true }
              ],
              "container_config": { "Hostname": "ignored" }
            }
            """;
        var config = JsonSerializer.Deserialize(json, OciJsonContext.Relaxed.ImageConfig)!;
        Assert.Equal("2024-01-11T21:31:20.497373453Z", config.Created);
        Assert.Equal("someone", config.Author);
        Assert.Equal(new Platform { Architecture = "arm64", OS = "linux", Variant = "v8" }, config.ToPlatform());
        var exec = config.Config!;
        Assert.Equal("1000:1000", exec.User);
        Assert.Equal(["80/tcp", "443/tcp"], exec.ExposedPorts!);
        Assert.Equal(["PATH=/usr/bin", "A=b"], exec.Env!);
        Assert.Equal(["/entry"], exec.Entrypoint!);
        Assert.Equal(["serve", "--port", "80"], exec.Cmd!);
        Assert.Equal(["/data"], exec.Volumes!);
        Assert.Equal("/app", exec.WorkingDir);
        Assert.Equal("https://example.com", exec.Labels!["org.opencontainers.image.source"]);
        Assert.Equal("SIGTERM", exec.StopSignal);
        Assert.Equal("layers", config.RootFs.Type);
        Assert.Equal([Digest.Parse(diffId)], config.RootFs.DiffIds);
        Assert.Equal(2, config.History!.Count);
        Assert.Equal("/bin/sh -c #(nop) ADD file:x in /", config.History[0].CreatedBy);
        Assert.False(config.History[0].EmptyLayer);
        Assert.True(config.History[1].EmptyLayer);

        var written = JsonSerializer.Serialize(config, OciJsonContext.Relaxed.ImageConfig);
        Assert.Contains("\"ExposedPorts\":{\"80/tcp\":{},\"443/tcp\":{}}", written);
        Assert.Contains("\"Volumes\":{\"/data\":{}}", written);
        Assert.Contains($"\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{diffId}\"]}}", written);
        Assert.Contains("{\"created_by\":\"CMD [\\\"serve\\\"]\",\"empty_layer\":true}", written);
        Assert.DoesNotContain("os.version", written);
        var again = JsonSerializer.Deserialize(written, OciJsonContext.Relaxed.ImageConfig)!;
        Assert.Equal(written, JsonSerializer.Serialize(again, OciJsonContext.Relaxed.ImageConfig));
    }

    [Fact]
    public void ImageConfigWithWindowsPlatformFields()
    {
        var json = """{"architecture":"amd64","os":"windows","os.version":"10.0.20348.2227","os.features":["win32k"],"rootfs":{"type":"layers","diff_ids":[]}}""";
        var config = JsonSerializer.Deserialize(json, OciJsonContext.Relaxed.ImageConfig)!;
        Assert.Equal("10.0.20348.2227", config.OSVersion);
        Assert.Equal(["win32k"], config.OSFeatures!);
        Assert.Null(config.Config);
        Assert.Equal(json, JsonSerializer.Serialize(config, OciJsonContext.Relaxed.ImageConfig));
    }

    [Fact]
    public void DefaultContextEscapesPlusRelaxedDoesNot()
    {
        var d = new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Parse(Abc), Size = 3 };
        Assert.Contains("tar\\u002Bgzip", JsonSerializer.Serialize(d, OciJsonContext.Default.Descriptor));
        Assert.Contains("tar+gzip", JsonSerializer.Serialize(d, OciJsonContext.Relaxed.Descriptor));
    }

    [Fact]
    public void AbsentMembersKeepTheirDefaults()
    {
        var config = JsonSerializer.Deserialize("{}", OciJsonContext.Relaxed.ImageConfig)!;
        Assert.Equal("", config.Architecture);
        Assert.Equal("", config.OS);
        Assert.Equal("layers", config.RootFs.Type);
        Assert.Empty(config.RootFs.DiffIds);
        var nulls = JsonSerializer.Deserialize("{\"architecture\":null,\"rootfs\":null}", OciJsonContext.Relaxed.ImageConfig)!;
        Assert.Equal("", nulls.Architecture);
        Assert.NotNull(nulls.RootFs);
    }

    [Fact]
    public void DescriptorFromContent()
    {
        var d = Descriptor.FromContent(MediaTypes.OciEmpty, "{}"u8);
        Assert.Equal(EmptyJson, d.Digest.ToString());
        Assert.Equal(2, d.Size);
        Assert.Equal(MediaTypes.OciEmpty, d.MediaType);
        Assert.Equal("sha512:" + TestData.AbcSha512, Descriptor.FromContent("a/b", "abc"u8, Digest.Sha512).Digest.ToString());
        Assert.Equal("InvalidMediaType", Assert.Throws<InvalidArgumentException>(() => Descriptor.FromContent("bad", "x"u8)).ErrorId);
    }

    [Fact]
    public void ImageLayoutFile()
    {
        Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", JsonSerializer.Serialize(new ImageLayout(), OciJsonContext.Relaxed.ImageLayout));
        Assert.Equal("1.0.0", JsonSerializer.Deserialize("{\"imageLayoutVersion\":\"1.0.0\"}", OciJsonContext.Relaxed.ImageLayout)!.ImageLayoutVersion);
        Assert.Equal("", JsonSerializer.Deserialize("{}", OciJsonContext.Relaxed.ImageLayout)!.ImageLayoutVersion);
        Assert.Equal("org.opencontainers.image.ref.name", AnnotationKeys.RefName);
    }

    [Fact]
    public void PlatformWithoutOsOrArchitectureReadsAsEmptyStrings()
    {
        var platform = JsonSerializer.Deserialize("{\"variant\":\"v7\"}", OciJsonContext.Relaxed.Platform)!;
        Assert.Equal("", platform.OS);
        Assert.Equal("", platform.Architecture);
        Assert.Equal("v7", platform.Variant);
    }
}
