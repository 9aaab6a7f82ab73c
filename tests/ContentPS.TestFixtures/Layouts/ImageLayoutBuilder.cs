using System.Security.Cryptography;
using System.Text;

namespace ContentPS.TestFixtures;

/// <summary>
/// Writes an OCI image layout (oci-layout, index.json, blobs/sha256/…) blob by blob, computing every
/// digest itself. Add blobs bottom-up, <see cref="Tag"/> the top-level ones, then <see cref="Save"/>.
/// </summary>
public sealed class ImageLayoutBuilder
{
    private readonly List<LayoutBlob> _blobs = [];
    private readonly HashSet<string> _digests = new(StringComparer.Ordinal);
    private readonly List<(LayoutBlob Blob, string RefName)> _tags = [];

    public ImageLayoutBuilder(string directory)
    {
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(BlobDirectory);
        File.WriteAllText(Path.Combine(Directory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    public string Directory { get; }

    /// <summary>Every distinct blob written so far, in the order written.</summary>
    public IReadOnlyList<LayoutBlob> Blobs => _blobs;

    /// <summary>Ref names tagged so far and what they point at.</summary>
    public IReadOnlyDictionary<string, LayoutBlob> Tags => _tags.ToDictionary(t => t.RefName, t => t.Blob, StringComparer.Ordinal);

    private string BlobDirectory => Path.Combine(Directory, "blobs", "sha256");

    public LayoutBlob AddBlob(ReadOnlySpan<byte> content, string mediaType, BlobKind kind)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        var blob = new LayoutBlob(mediaType, digest, content.Length, kind);
        var path = Path.Combine(Directory, blob.RelativePath);
        if (!File.Exists(path))
        {
            var temp = Path.Combine(BlobDirectory, ".tmp-" + Guid.NewGuid().ToString("N"));
            File.WriteAllBytes(temp, content.ToArray());
            File.Move(temp, path, overwrite: true);
        }

        return Record(blob);
    }

    /// <summary>A gzip tar layer with <paramref name="dataSize"/> bytes of seeded data, streamed to disk.</summary>
    public LayoutBlob AddLayer(long dataSize, long seed, bool docker = false)
    {
        var temp = Path.Combine(BlobDirectory, ".tmp-" + Guid.NewGuid().ToString("N"));
        (string Digest, long Size, string DiffId) written;
        using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            written = LayerWriter.Write(file, $"layer-{seed}", dataSize, seed);
        }

        var blob = new LayoutBlob(docker ? LayoutMediaTypes.DockerLayerGzip : LayoutMediaTypes.OciLayerGzip, written.Digest, written.Size, BlobKind.Layer)
        {
            DiffId = written.DiffId,
        };
        File.Move(temp, Path.Combine(Directory, blob.RelativePath), overwrite: true);
        return Record(blob);
    }

    /// <summary>A layer from hand-written entries (<see cref="FixtureLayer"/>), written as its compression and media type say.</summary>
    public LayoutBlob AddFixtureLayer(FixtureLayer layer, bool docker = false)
    {
        var body = new MemoryStream();
        var written = FilesystemLayerWriter.Write(body, layer.Entries, layer.Compression, layer.TruncateTarAt);
        var mediaType = layer.MediaType ?? LayoutMediaTypes.Layer(layer.Compression, docker);
        return Replace(AddBlob(body.ToArray(), mediaType, BlobKind.Layer) with { DiffId = written.DiffId });
    }

    /// <summary>A gzip tar layer as <see cref="AddLayer"/> writes it, typed non-distributable (a foreign layer) and carrying no URLs.</summary>
    public LayoutBlob AddForeignLayer(long dataSize, long seed) =>
        Replace(AddLayer(dataSize, seed) with { MediaType = LayoutMediaTypes.OciLayerNonDistributableGzip });

    public LayoutBlob AddConfig(string platform, IReadOnlyList<LayoutBlob> layers, bool docker = false)
    {
        var json = LayoutJson.Config(platform, layers.Select(l => l.DiffId ?? l.Digest), "ContentPS fixture " + platform);
        return AddBlob(json, docker ? LayoutMediaTypes.DockerConfig : LayoutMediaTypes.OciConfig, BlobKind.Config);
    }

    /// <summary>An OCI (or Docker v2) image manifest; the returned blob carries <paramref name="platform"/> for index entries.</summary>
    public LayoutBlob AddManifest(
        LayoutBlob config,
        IReadOnlyList<LayoutBlob> layers,
        string? platform = null,
        bool docker = false,
        string? artifactType = null,
        LayoutBlob? subject = null,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        var mediaType = docker ? LayoutMediaTypes.DockerManifest : LayoutMediaTypes.OciManifest;
        var json = LayoutJson.Manifest(mediaType, config, layers, artifactType, subject, annotations);
        var blob = AddBlob(json, mediaType, BlobKind.Manifest);
        return Replace(blob with { Platform = platform, ArtifactType = artifactType });
    }

    /// <summary>Config plus <paramref name="layerCount"/> layers of <paramref name="layerSize"/> data bytes plus manifest.</summary>
    public LayoutBlob AddImage(string platform, int layerCount, long layerSize, long seed, bool docker = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layerCount);
        var layers = Enumerable.Range(0, layerCount).Select(i => AddLayer(layerSize, seed * 1000 + i, docker)).ToList();
        var config = AddConfig(platform, layers, docker);
        return AddManifest(config, layers, platform, docker);
    }

    /// <summary>An OCI index (or Docker manifest list); entries keep the platform and annotations of their blobs.</summary>
    public LayoutBlob AddIndex(IReadOnlyList<LayoutBlob> manifests, bool docker = false, IReadOnlyDictionary<string, string>? annotations = null)
    {
        var mediaType = docker ? LayoutMediaTypes.DockerManifestList : LayoutMediaTypes.OciIndex;
        return AddBlob(LayoutJson.Index(mediaType, manifests, annotations), mediaType, BlobKind.Index);
    }

    /// <summary>
    /// A BuildKit-style attestation manifest for <paramref name="subject"/>: platform unknown/unknown, an
    /// in-toto layer, and the vnd.docker.reference.* annotations on its index entry.
    /// </summary>
    public LayoutBlob AddAttestation(LayoutBlob subject)
    {
        var statement = Encoding.UTF8.GetBytes(
            "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"https://spdx.dev/Document\","
            + $"\"subject\":[{{\"name\":\"pkg:docker/contentps/fixture\",\"digest\":{{\"sha256\":\"{subject.Encoded}\"}}}}],"
            + "\"predicate\":{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"contentps-fixture\"}}");
        var layer = Replace(AddBlob(statement, LayoutMediaTypes.InToto, BlobKind.Layer) with
        {
            Annotations = new Dictionary<string, string> { [LayoutAnnotations.InTotoPredicateType] = "https://spdx.dev/Document" },
            DiffId = null,
        });
        var config = AddBlob(
            LayoutJson.Config("unknown/unknown", [layer.Digest], "attestation"), LayoutMediaTypes.OciConfig, BlobKind.Config);
        var manifest = AddManifest(config, [layer], "unknown/unknown");
        return Replace(manifest with
        {
            Annotations = new Dictionary<string, string>
            {
                [LayoutAnnotations.ReferenceType] = LayoutAnnotations.AttestationManifest,
                [LayoutAnnotations.ReferenceDigest] = subject.Digest,
            },
        });
    }

    /// <summary>An OCI 1.1 artifact: empty config, one layer with <paramref name="payload"/>, a subject.</summary>
    public LayoutBlob AddArtifact(LayoutBlob subject, byte[] payload, string artifactType = LayoutMediaTypes.ExampleSbomArtifact, string payloadMediaType = LayoutMediaTypes.SpdxJson)
    {
        var config = AddBlob(Encoding.UTF8.GetBytes(LayoutMediaTypes.EmptyJson), LayoutMediaTypes.OciEmpty, BlobKind.Config);
        var layer = AddBlob(payload, payloadMediaType, BlobKind.Layer);
        return AddManifest(
            config,
            [layer],
            artifactType: artifactType,
            subject: subject,
            annotations: new Dictionary<string, string> { [LayoutAnnotations.Created] = LayoutJson.Created });
    }

    /// <summary>Lists <paramref name="blob"/> in index.json under <paramref name="refName"/> (org.opencontainers.image.ref.name).</summary>
    public void Tag(LayoutBlob blob, string refName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(refName);
        _tags.RemoveAll(t => t.RefName == refName);
        _tags.Add((blob, refName));
    }

    /// <summary>Writes index.json with one entry per tag.</summary>
    public void Save()
    {
        var entries = _tags.Select(t => t.Blob with
        {
            Annotations = new Dictionary<string, string>(t.Blob.Annotations ?? new Dictionary<string, string>())
            {
                [LayoutAnnotations.RefName] = t.RefName,
            },
        });
        var json = LayoutJson.Index(LayoutMediaTypes.OciIndex, entries);
        var temp = Path.Combine(Directory, ".index.json.tmp");
        File.WriteAllBytes(temp, json);
        File.Move(temp, Path.Combine(Directory, "index.json"), overwrite: true);
    }

    public LayoutResult ToResult(string scenario, string refName) =>
        new(Directory, scenario, refName, Tags[refName], _blobs.ToList(), Tags);

    private LayoutBlob Record(LayoutBlob blob)
    {
        if (_digests.Add(blob.Digest))
        {
            _blobs.Add(blob);
        }

        return blob;
    }

    // Keeps the recorded copy of a blob in step with the descriptor details (platform, annotations) set after writing it.
    private LayoutBlob Replace(LayoutBlob blob)
    {
        var index = _blobs.FindIndex(b => b.Digest == blob.Digest);
        if (index >= 0)
        {
            _blobs[index] = blob;
        }

        return blob;
    }
}
