using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;

namespace ContentPS.TestFixtures.Cli;

/// <summary>
/// <c>ingest-hold --store ROOT --ref REF --bytes N [--seed S] [--size TOTAL]</c>: opens a writer on REF,
/// writes the first N bytes of the deterministic content of TOTAL bytes (default N), prints "ready"
/// and waits, holding the ingest's lock, until killed or until stdin closes. Lets tests see a lock held
/// by another process and resume a write whose process was killed.
/// </summary>
internal static class IngestHoldCommand
{
    public static async Task<int> RunAsync(CliArguments arguments)
    {
        var root = arguments.Required("store");
        var reference = arguments.Required("ref");
        var bytes = arguments.OptionalInt64("bytes") ?? throw new CliUsageException("Option --bytes is required.");
        var size = arguments.OptionalInt64("size") ?? bytes;
        var seed = (int)(arguments.OptionalInt64("seed") ?? 1);
        if (bytes < 0 || bytes > size) throw new CliUsageException("--bytes must be between 0 and --size.");

        var content = DeterministicContent(size, seed);
        var store = new LocalContentStore(root, new FileLabelStore(root));
        var expected = Digest.FromBytes(content);
        var writer = await store.OpenWriterAsync(reference, size, expected).ConfigureAwait(false);
        // Written in pieces, as a download would be; never disposed: the process is meant to be killed.
        for (var offset = 0L; offset < bytes; offset += 4096)
        {
            await writer.WriteAsync(content.AsMemory((int)offset, (int)Math.Min(4096, bytes - offset))).ConfigureAwait(false);
        }
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        await Console.In.ReadToEndAsync().ConfigureAwait(false);
        await writer.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>The content ingest-hold writes: <paramref name="size"/> bytes from a seeded generator.</summary>
    public static byte[] DeterministicContent(long size, int seed)
    {
        var content = new byte[size];
        new Random(seed).NextBytes(content);
        return content;
    }
}
