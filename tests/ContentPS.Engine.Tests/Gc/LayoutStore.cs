using System.Diagnostics;
using ContentPS.Engine.Content;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Gc;

/// <summary>A fresh store in a temp folder, filled from fixture image layouts (blob by blob, through the store's writer).</summary>
public sealed class LayoutStore : IDisposable
{
    private static int s_layouts;

    public LayoutStore()
    {
        Root = Directory.CreateTempSubdirectory("contentps-gc-").FullName;
        Store = new LocalContentStore(Root, new FileLabelStore(Root));
        Records = new ImageRecordStore(Root);
    }

    public string Root { get; }

    public LocalContentStore Store { get; }

    public ImageRecordStore Records { get; }

    /// <summary>Writes a layout's blobs into the store; with <paramref name="record"/>, one image record per layout tag (named <c>&lt;prefix&gt;/&lt;tag&gt;</c>).</summary>
    public async Task<LayoutResult> ImportAsync(LayoutScenario scenario, long seed, bool record, string prefix = "fixture")
    {
        var directory = Path.Combine(Root + "-layouts", $"{Interlocked.Increment(ref s_layouts)}");
        var layout = ImageLayouts.Create(scenario, directory, new LayoutOptions { Seed = seed, LayerSize = 2048 });
        foreach (var blob in layout.Blobs.DistinctBy(b => b.Digest))
        {
            await using var file = File.OpenRead(Path.Combine(layout.Directory, blob.RelativePath));
            await ContentHelpers.WriteBlobAsync(Store, "import-" + blob.Digest, file, DescriptorOf(blob));
        }
        if (record)
        {
            foreach (var (tag, blob) in layout.Tags)
            {
                await Records.SetAsync($"{prefix}/{scenario.ToString().ToLowerInvariant()}:{tag}", DescriptorOf(blob));
            }
        }
        return layout;
    }

    public static Descriptor DescriptorOf(LayoutBlob blob) =>
        new() { MediaType = blob.MediaType, Digest = Digest.Parse(blob.Digest), Size = blob.Size };

    /// <summary>Every committed blob, by digest.</summary>
    public HashSet<string> BlobDigests() =>
        [.. Directory.EnumerateFiles(Path.Combine(Root, "blobs", "sha256")).Select(p => "sha256:" + Path.GetFileName(p))];

    /// <summary>Commits <paramref name="content"/> (no record, no label): garbage unless something refers to it.</summary>
    public async Task<Descriptor> WriteAsync(byte[] content, string mediaType = "application/octet-stream", IReadOnlyDictionary<string, string>? labels = null)
    {
        var descriptor = Descriptor.FromContent(mediaType, content);
        await ContentHelpers.WriteBlobAsync(Store, "write-" + descriptor.Digest, new MemoryStream(content), descriptor, labels);
        return descriptor;
    }

    public static byte[] RandomBytes(int size, int seed)
    {
        var content = new byte[size];
        new Random(seed).NextBytes(content);
        return content;
    }

    /// <summary>Starts the fixtures CLI's lease-writer against this store.</summary>
    public Process StartLeaseWriter(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(ContentPS.TestFixtures.Program).Assembly.Location);
        start.ArgumentList.Add("lease-writer");
        start.ArgumentList.Add("--store");
        start.ArgumentList.Add(Root);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }

    /// <summary>The child's first line of output (hang guard: 60 s).</summary>
    public static async Task<string> ReadLineAsync(Process child)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await child.StandardOutput.ReadLineAsync(timeout.Token);
        return line ?? throw new InvalidOperationException($"child exited without output: {await child.StandardError.ReadToEndAsync()}");
    }

    public void Dispose()
    {
        foreach (var directory in new[] { Root, Root + "-layouts" })
        {
            try
            {
                if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
