using System.Text;
using System.Text.Json;
using ContentPS.Engine.Content;
using ContentPS.Engine.Content.Leases;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;

namespace ContentPS.TestFixtures.Cli;

/// <summary>
/// <c>lease-writer --store ROOT [--id ID] [--digests D1,D2] [--iterations N] [--seed S]</c>.
/// Without <c>--iterations</c>: creates a lease (ID or generated), adds the digests, prints "ready &lt;id&gt;" and
/// holds it until killed or stdin closes. With <c>--iterations N</c>: writes N small images the way a pull does
/// (lease, add each digest BEFORE checking for or writing it, image record, then delete the lease; then the
/// previous image's record is removed so its content becomes garbage). Layers come from a pool of two that
/// images share, so content that is garbage and present gets reused. After each record it checks that every
/// blob of it exists, and again just before that record is removed; prints one JSON line
/// <c>{iterations, written, reused, reusedGarbage, lost, lostDetails}</c> (reusedGarbage: present blobs that no record referred to).
/// </summary>
internal static class LeaseWriterCommand
{
    private const int PoolSize = 2;

    public static async Task<int> RunAsync(CliArguments arguments)
    {
        var root = arguments.Required("store");
        var store = new LocalContentStore(root, new FileLabelStore(root));
        var leases = LeaseManager.Open(store);
        if (arguments.OptionalInt64("iterations") is { } iterations)
        {
            return await LoopAsync(store, leases, iterations, arguments.OptionalInt64("seed") ?? 1).ConfigureAwait(false);
        }

        await using var lease = await leases.CreateAsync(new LeaseOptions { Id = arguments.Optional("id") }).ConfigureAwait(false);
        var digests = (arguments.Optional("digests") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Digest.Parse).ToList();
        await lease.AddAsync(digests).ConfigureAwait(false);
        Console.Out.WriteLine("ready " + lease.Id);
        Console.Out.Flush();
        await Console.In.ReadToEndAsync().ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> LoopAsync(LocalContentStore store, LeaseManager leases, long iterations, long seed)
    {
        var records = new ImageRecordStore(store.Root);
        long written = 0, reused = 0, reusedGarbage = 0;
        var lost = new List<string>();
        (string Name, List<Digest> Blobs)? previous = null;
        for (var i = 0L; i < iterations; i++)
        {
            var blobs = ImageBlobs(seed, i);
            var manifest = blobs[^1];
            await using (var lease = await leases.CreateAsync(new LeaseOptions { Labels = new Dictionary<string, string> { ["fixture"] = "lease-writer" } }).ConfigureAwait(false))
            {
                foreach (var (descriptor, content) in blobs)
                {
                    await lease.AddAsync(descriptor.Digest).ConfigureAwait(false);
                    if (await ContentHelpers.WriteBlobAsync(store, "lease-writer-" + descriptor.Digest.Encoded, new MemoryStream(content), descriptor).ConfigureAwait(false))
                    {
                        written++;
                    }
                    else
                    {
                        reused++;
                        // Present though no record refers to it: garbage a collection may be removing right now.
                        if (previous is not { } before || !before.Blobs.Contains(descriptor.Digest)) reusedGarbage++;
                    }
                }
                var name = $"lease-writer/image:{i}";
                await records.SetAsync(name, manifest.Descriptor).ConfigureAwait(false);
                var current = (name, blobs.Select(b => b.Descriptor.Digest).ToList());
                await CheckPresentAsync(store, current, "after writing its record", lost).ConfigureAwait(false);
                if (previous is { } old)
                {
                    await CheckPresentAsync(store, old, "before removing its record", lost).ConfigureAwait(false);
                    await records.DeleteAsync(old.Name).ConfigureAwait(false);
                }
                previous = current;
            }
        }
        Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iterations"] = iterations,
            ["written"] = written,
            ["reused"] = reused,
            ["reusedGarbage"] = reusedGarbage,
            ["lost"] = lost.Count,
            ["lostDetails"] = lost,
        }));
        return 0;
    }

    private static async Task CheckPresentAsync(LocalContentStore store, (string Name, List<Digest> Blobs) image, string when, List<string> lost)
    {
        foreach (var digest in image.Blobs)
        {
            try
            {
                await store.InfoAsync(digest).ConfigureAwait(false);
            }
            catch (NotFoundException)
            {
                lost.Add($"{image.Name}: {digest} missing {when}");
            }
        }
    }

    /// <summary>Two layers (one from the shared pool, one new), a config and the manifest, children first.</summary>
    private static List<(Descriptor Descriptor, byte[] Content)> ImageBlobs(long seed, long iteration)
    {
        var pool = Bytes(seed * 1000 + iteration % PoolSize, 2048 + (int)(iteration % PoolSize));
        var fresh = Bytes(seed * 1_000_000 + iteration + 7919, 1024);
        var layers = new[] { Blob(MediaTypes.OciLayer, pool), Blob(MediaTypes.OciLayer, fresh) };
        var config = Blob(MediaTypes.OciConfig, Encoding.UTF8.GetBytes(
            $"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{layers[0].Descriptor.Digest}\",\"{layers[1].Descriptor.Digest}\"]}},\"author\":\"iteration {iteration}\"}}"));
        var manifest = Blob(MediaTypes.OciManifest, JsonSerializer.SerializeToUtf8Bytes(
            new Manifest { MediaType = MediaTypes.OciManifest, Config = config.Descriptor, Layers = [layers[0].Descriptor, layers[1].Descriptor] },
            OciJsonContext.Default.Manifest));
        return [layers[0], layers[1], config, manifest];
    }

    private static (Descriptor Descriptor, byte[] Content) Blob(string mediaType, byte[] content) =>
        (Descriptor.FromContent(mediaType, content), content);

    private static byte[] Bytes(long seed, int size)
    {
        var content = new byte[size];
        new Random((int)(seed % int.MaxValue)).NextBytes(content);
        return content;
    }
}
