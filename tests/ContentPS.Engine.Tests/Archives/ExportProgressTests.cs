using System.Collections.Concurrent;
using ContentPS.Engine.Archives;
using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Transfer;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Archives;

/// <summary>What the export and the import tell a transfer tracker.</summary>
public sealed class ExportProgressTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EveryBlobWaitsThenReportsItsBytesThenIsDoneAndTheImportReportsCommitsAndPresentBlobs()
    {
        var layout = ImageLayouts.Create(LayoutScenario.Layers, _temp.Combine("fixture"), new LayoutOptions { LayerCount = 2, LayerSize = 3 * 1024 * 1024 });
        var store = LocalContentStore.Open(_temp.Combine("store"));
        await ArchiveTestStore.AddAsync(store, layout, "big:v1");
        var tracker = new RecordingTracker();

        var result = await ImageExport.ExportAsync(new ExportRequest
        {
            Store = store, Names = ["big:v1"], Path = _temp.Combine("big.tar"), Format = ArchiveFormat.OciArchive, Tracker = tracker,
            Platforms = [Platforms.Parse("linux/s390x")], // ignored: the root is a plain manifest
        });

        Assert.Equal(layout.Blobs.Count, result.BlobsWritten);
        foreach (var blob in layout.Blobs)
        {
            var events = tracker.Events.Where(e => e.Digest == blob.Digest).Select(e => e.Kind).ToList();
            Assert.Equal("waiting", events[0]);
            Assert.Equal("done", events[^1]);
            Assert.All(events.Skip(1).SkipLast(1), kind => Assert.Equal("bytes", kind));
        }
        var layer = layout.OfKind(BlobKind.Layer).First();
        Assert.Equal(layer.Size, tracker.Events.Where(e => e.Digest == layer.Digest && e.Kind == "bytes").Max(e => e.Offset));

        var imported = new RecordingTracker();
        var existing = await ImageImport.ImportAsync(new ImportRequest { Store = store, Path = _temp.Combine("big.tar"), Tracker = imported });
        Assert.Equal(layout.Blobs.Count, existing.BlobsExisting);
        Assert.Equal(layout.Blobs.Count, imported.Events.Count(e => e.Kind == "present"));
    }

    private sealed class RecordingTracker : ITransferTracker
    {
        public ConcurrentQueue<(string Digest, string Kind, long Offset)> Events { get; } = new();

        public void Waiting(Descriptor blob) => Events.Enqueue((blob.Digest.ToString(), "waiting", 0));
        public void Downloading(Descriptor blob, long offset) => Events.Enqueue((blob.Digest.ToString(), "bytes", offset));
        public void Resumed(Descriptor blob, long fromOffset) => Events.Enqueue((blob.Digest.ToString(), "resumed", fromOffset));
        public void Done(Descriptor blob) => Events.Enqueue((blob.Digest.ToString(), "done", 0));
        public void AlreadyPresent(Descriptor blob) => Events.Enqueue((blob.Digest.ToString(), "present", 0));
        public void Failed(Descriptor blob, Exception error) => Events.Enqueue((blob.Digest.ToString(), "failed", 0));
    }
}
