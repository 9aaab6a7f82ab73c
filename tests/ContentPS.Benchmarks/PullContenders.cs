using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Transfer;
using ContentPS.TestFixtures;

namespace ContentPS.Benchmarks;

/// <summary>
/// One way of pulling an image into a store. <see cref="Fresh"/> (untimed) gives it an empty store,
/// <see cref="Run"/> (timed) pulls into the current one, <see cref="StoredBlobs"/> checks the result.
/// </summary>
internal abstract class PullContender : IFreshAgainContender
{
    public abstract string Name { get; }

    public virtual bool IsOurs => false;

    public abstract void Fresh();

    public abstract void Run(BenchImage image);

    public abstract int StoredBlobs(BenchImage image);

    public abstract void Dispose();
}

/// <summary>A contender whose store is a folder (an OCI layout): a new empty folder per <see cref="Fresh"/>.</summary>
internal abstract class FolderContender(string work) : PullContender
{
    private string? _store;

    protected string Store => _store ?? throw new InvalidOperationException("call Fresh first");

    public override void Fresh()
    {
        Dispose();
        _store = Path.Combine(work, $"{Name}-{Guid.NewGuid():N}");
    }

    public override int StoredBlobs(BenchImage image)
    {
        var blobs = Path.Combine(Store, "blobs", "sha256");
        return Directory.Exists(blobs) ? Directory.GetFiles(blobs).Length : 0;
    }

    public override void Dispose()
    {
        if (_store is not null && Directory.Exists(_store)) Directory.Delete(_store, recursive: true);
        _store = null;
    }
}

/// <summary>Save-ImageContent in the hosted runspace that imported the built module.</summary>
internal sealed class CmdletContender(HostedModule module, string work) : FolderContender(work)
{
    public override string Name => "Save-ImageContent";

    public override bool IsOurs => true;

    public override void Run(BenchImage image) => module.Invoke(shell =>
    {
        shell.AddCommand("Save-ImageContent").AddParameter("Reference", image.Reference).AddParameter("Store", Store);
        return image.AllPlatforms ? shell.AddParameter("AllPlatforms") : shell;
    });
}

/// <summary><see cref="ImagePull.PullAsync"/> called directly: the engine without the cmdlet layer.</summary>
internal sealed class EngineContender(string work) : FolderContender(work)
{
    public override string Name => "ImagePull";

    public override bool IsOurs => true;

    public override void Run(BenchImage image) =>
        ImagePull.PullAsync(new PullRequest
        {
            Reference = ImageReference.Parse(image.Reference),
            Store = LocalContentStore.Open(Store),
            Client = new RegistryClient(new RegistryClientOptions()),
            AllPlatforms = image.AllPlatforms,
        }).GetAwaiter().GetResult();
}

/// <summary><c>skopeo copy docker://… oci:&lt;dir&gt;</c> (with <c>--all</c> for an all-platform pull).</summary>
internal sealed class SkopeoContender(string work) : FolderContender(work)
{
    public override string Name => "skopeo";

    public override void Run(BenchImage image)
    {
        List<string> arguments = ["--insecure-policy", "copy", "--quiet", "--src-tls-verify=false", "--src-no-creds"];
        if (image.AllPlatforms) arguments.Add("--all");
        arguments.Add($"docker://{image.Reference}");
        arguments.Add($"oci:{Store}:bench");
        Measurement.RunProcess("skopeo", [.. arguments]);
    }
}

/// <summary><c>ctr content fetch --plain-http</c> (with <c>--all-platforms</c>) through a private containerd; a new daemon per fresh store.</summary>
internal sealed class CtrContender(string work) : PullContender
{
    private ContainerdDaemon? _daemon;

    public override string Name => "ctr";

    public override void Fresh()
    {
        Dispose();
        _daemon = ContainerdDaemon.StartAsync(work).GetAwaiter().GetResult();
    }

    public override void Run(BenchImage image) => Daemon.FetchAsync(image.Reference, image.AllPlatforms).GetAwaiter().GetResult();

    public override int StoredBlobs(BenchImage image) => Daemon.ContentDigestsAsync().GetAwaiter().GetResult().Count;

    public override void Dispose()
    {
        _daemon?.Dispose();
        _daemon = null;
    }

    private ContainerdDaemon Daemon => _daemon ?? throw new InvalidOperationException("call Fresh first");
}
