using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Transfer.Copy;
using ContentPS.TestFixtures;

namespace ContentPS.Benchmarks;

/// <summary>
/// One way of copying an image from the source registry into a repository of a destination registry.
/// <see cref="Fresh"/> (untimed) starts a new, empty destination registry, not only a new repository:
/// skopeo's blob-info cache (/var/lib/containers/cache) remembers which repositories of a registry hold a
/// blob and mounts it from there, so into a registry that earlier runs filled its "fresh" copy moves no
/// bytes. <see cref="Run"/> (timed) copies into it; <see cref="StoredBlobs"/> asks the destination for
/// every blob and manifest of the image.
/// </summary>
internal abstract class CopyContender : IFreshAgainContender
{
    private RegistryFixture? _destination;

    public abstract string Name { get; }

    public virtual bool IsOurs => false;

    /// <summary>host:port/bench/copy:bench on the current destination registry.</summary>
    protected string Destination => _destination is null
        ? throw new InvalidOperationException("call Fresh first")
        : $"{_destination.Host}/bench/copy:bench";

    public void Fresh()
    {
        Dispose();
        _destination = RegistryFixture.StartAsync(RegistryFlavor.Plain).GetAwaiter().GetResult();
    }

    public abstract void Run(BenchImage image);

    public int StoredBlobs(BenchImage image)
    {
        var client = new RegistryClient(new RegistryClientOptions());
        var repository = ImageReference.Parse(Destination);
        var found = Task.WhenAll(image.Digests.Select(async digest =>
            await client.TryGetBlobAsync(repository, Digest.Parse(digest)).ConfigureAwait(false) is not null
            || await client.TryGetManifestAsync(repository, digest).ConfigureAwait(false) is not null)).GetAwaiter().GetResult();
        return found.Count(f => f);
    }

    public void Dispose()
    {
        _destination?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _destination = null;
    }
}

/// <summary>Copy-Image in the hosted runspace that imported the built module.</summary>
internal sealed class CopyCmdletContender(HostedModule module) : CopyContender
{
    public override string Name => "Copy-Image";

    public override bool IsOurs => true;

    public override void Run(BenchImage image) => module.Invoke(shell =>
        shell.AddCommand("Copy-Image").AddParameter("Source", image.Reference).AddParameter("Destination", Destination));
}

/// <summary><see cref="ImageCopy.CopyAsync"/> called directly (every platform, the default): the engine without the cmdlet layer.</summary>
internal sealed class CopyEngineContender : CopyContender
{
    public override string Name => "ImageCopy";

    public override bool IsOurs => true;

    public override void Run(BenchImage image) =>
        ImageCopy.CopyAsync(new CopyRequest
        {
            Source = ImageLocation.Registry(image.Reference),
            Destination = ImageLocation.Registry(Destination),
            Client = new RegistryClient(new RegistryClientOptions()),
        }).GetAwaiter().GetResult();
}

/// <summary><c>skopeo copy --all docker://… docker://…</c>, plain HTTP both ways.</summary>
internal sealed class CopySkopeoContender : CopyContender
{
    public override string Name => "skopeo";

    public override void Run(BenchImage image) =>
        Measurement.RunProcess("skopeo", "--insecure-policy", "copy", "--quiet", "--all", "--src-tls-verify=false", "--dest-tls-verify=false",
            "--src-no-creds", "--dest-no-creds", $"docker://{image.Reference}", $"docker://{Destination}");
}
