using System.Formats.Tar;
using System.Text;
using ContentPS.Engine.Archives;
using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Transfer;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Archives;

/// <summary>
/// containerd reads what the store exports, and the store reads what containerd exports: an image pulled
/// from a real registry, exported as an OCI or docker archive, imported by <c>ctr images import</c> into a
/// private containerd (running as the test's user), and <c>ctr images export</c> imported back.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class CtrImportInteropTests(SharedRegistry shared) : IDisposable
{
    private const string Namespace = "contentps";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [ContainerdFact]
    public async Task AnOciArchiveExportIsImportedByCtrWithTheSameNameRootDigestAndBlobs()
    {
        var (store, pulled, layout) = await PullAsync(LayoutScenario.MultiPlatform, "ctr-interop/oci");
        var archive = _temp.Combine("app-oci.tar");
        await ImageExport.ExportAsync(new ExportRequest
        {
            Store = store, Names = [pulled.Name], Path = archive, Format = ArchiveFormat.OciArchive, AllPlatforms = true,
        });
        await using var containerd = await ContainerdDaemon.StartAsync(_temp.Path);

        await containerd.CtrAsync("--namespace", Namespace, "images", "import", "--no-unpack", "--all-platforms", archive);

        var image = Assert.Single(await containerd.ImagesAsync(Namespace));
        Assert.Equal(pulled.Name, image.Name);
        Assert.Equal(layout.Digest, image.Digest);
        Assert.Equal(pulled.Root.Digest.ToString(), image.Digest);
        Assert.Equal(MediaTypes.OciIndex, image.MediaType);
        var stored = await ArchiveTestStore.BlobsAsync(store);
        Assert.Equal(layout.Blobs.Select(b => b.Digest).Order(StringComparer.Ordinal), stored);
        // containerd ingests the archive's index.json as content too, until its garbage collector removes it (no image refers to it).
        var inContainerd = await containerd.ContentDigestsAsync(Namespace);
        Assert.Subset(inContainerd.ToHashSet(), stored.ToHashSet());
        Assert.All(inContainerd.Except(stored), extra => Assert.Equal(DigestOfEntry(archive, "index.json"), extra));
    }

    [ContainerdFact]
    public async Task ADockerArchiveExportIsImportedByCtrWithTheSameNameConfigAndLayers()
    {
        var (store, pulled, layout) = await PullAsync(LayoutScenario.SinglePlatform, "ctr-interop/docker");
        var archive = _temp.Combine("app-docker.tar");
        await ImageExport.ExportAsync(new ExportRequest { Store = store, Names = [pulled.Name], Path = archive, Format = ArchiveFormat.DockerArchive });
        await using var containerd = await ContainerdDaemon.StartAsync(_temp.Path);

        await containerd.CtrAsync("--namespace", Namespace, "images", "import", "--no-unpack", archive);

        // A docker archive carries no manifest: containerd writes a Docker manifest of its own naming the archive's config and layers.
        var image = Assert.Single(await containerd.ImagesAsync(Namespace));
        Assert.Equal(pulled.Name, image.Name);
        Assert.Equal(MediaTypes.DockerManifest, image.MediaType);
        var ours = Manifest(await File.ReadAllBytesAsync(Path.Combine(store.Root, pulled.Root.Digest.RelativeBlobPath)));
        var theirs = Manifest(Encoding.UTF8.GetBytes(await containerd.CtrAsync("--namespace", Namespace, "content", "get", image.Digest)));
        Assert.Equal(ours.Config.Digest, theirs.Config.Digest);
        Assert.Equal(ours.Layers.Select(l => l.Digest), theirs.Layers.Select(l => l.Digest));
        Assert.Equal(ours.Layers.Select(l => l.Size), theirs.Layers.Select(l => l.Size));
        var inContainerd = await containerd.ContentDigestsAsync(Namespace);
        Assert.All(layout.Blobs.Where(b => b.Kind != BlobKind.Manifest), blob => Assert.Contains(blob.Digest, inContainerd));
        Assert.Contains(image.Digest, inContainerd);
    }

    [ContainerdFact]
    public async Task AnImageCtrExportsIsImportedByTheStoreWithIdenticalDigests()
    {
        var (store, pulled, layout) = await PullAsync(LayoutScenario.MultiPlatform, "ctr-interop/roundtrip");
        var ours = _temp.Combine("ours.tar");
        await ImageExport.ExportAsync(new ExportRequest
        {
            Store = store, Names = [pulled.Name], Path = ours, Format = ArchiveFormat.OciArchive, AllPlatforms = true,
        });
        await using var containerd = await ContainerdDaemon.StartAsync(_temp.Path);
        await containerd.CtrAsync("--namespace", Namespace, "images", "import", "--no-unpack", "--all-platforms", ours);
        var theirs = _temp.Combine("theirs.tar");
        await containerd.CtrAsync("--namespace", Namespace, "images", "export", "--all-platforms", theirs, pulled.Name);
        var again = LocalContentStore.Open(_temp.Combine("again"));

        var result = await ImageImport.ImportAsync(new ImportRequest { Store = again, Path = theirs });

        Assert.Equal(ArchiveFormat.OciArchive, result.Format);
        var image = Assert.Single(result.Images);
        Assert.Equal(pulled.Name, image.Name);
        Assert.Equal(layout.Digest, image.Root.Digest.ToString());
        Assert.Equal(await ArchiveTestStore.BlobsAsync(store), await ArchiveTestStore.BlobsAsync(again));
        Assert.Empty(await again.ListStatusesAsync());
    }

    private async Task<(LocalContentStore Store, PullResult Pulled, LayoutResult Layout)> PullAsync(LayoutScenario scenario, string repository)
    {
        var registry = await shared.GetAsync();
        var layout = ImageLayouts.Create(scenario, _temp.Combine("fixture-" + repository.Replace('/', '-')));
        await registry.PushLayoutAsync(layout.Directory, layout.RefName, repository, "v1");
        var store = LocalContentStore.Open(_temp.Combine("store-" + repository.Replace('/', '-')));
        var pulled = await ImagePull.PullAsync(new PullRequest
        {
            Reference = ImageReference.Parse($"{registry.Host}/{repository}:v1"),
            Store = store,
            Client = new RegistryClient(new RegistryClientOptions()),
            AllPlatforms = true,
        });
        return (store, pulled, layout);
    }

    private static string DigestOfEntry(string archive, string name)
    {
        using var reader = new TarReader(File.OpenRead(archive));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name.TrimStart('.', '/') == name && entry.DataStream is { } data)
            {
                using var copy = new MemoryStream();
                data.CopyTo(copy);
                return Digest.FromBytes(copy.ToArray()).ToString();
            }
        }

        throw new InvalidDataException($"{archive} has no {name}");
    }

    private static Manifest Manifest(byte[] body) => ManifestParser.ParseManifest(body, declaredMediaType: null);
}
