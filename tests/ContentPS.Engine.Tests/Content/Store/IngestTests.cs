using System.Text.Json;
using System.Text.Json.Nodes;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Content.Store;

/// <summary>In-progress writes: status, listing, abort, locks, checkpoints, and partial ingests that cannot be trusted.</summary>
public sealed class IngestTests : StoreTestBase
{
    [Fact]
    public async Task AnEmptyRefIsInvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.OpenWriterAsync(""));
        Assert.Equal(ErrorIds.InvalidIngestRef, ex.ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Root, "ingest")));
    }

    [Fact]
    public async Task CommittedExpectedDigestIsAlreadyExistsBeforeTheIngestIsTouchedEvenWhenLocked()
    {
        var (content, digest) = CreateContent(300);
        await ContentHelpers.WriteBlobAsync(Store, "first", new MemoryStream(content), DescriptorOf(content, digest));

        var ex = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.OpenWriterAsync("fresh", 300, digest));
        Assert.Equal(ErrorIds.BlobAlreadyExists, ex.ErrorId);
        Assert.False(File.Exists(IngestOf("fresh").Data));

        await using var holder = await Store.OpenWriterAsync("held");
        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.OpenWriterAsync("held", 0, digest));
    }

    [Fact]
    public async Task StatusSeenFromAnotherStoreInstanceFollowsTheWriter()
    {
        var (content, digest) = CreateContent(1000);
        var other = OpenStore();
        var before = DateTimeOffset.UtcNow;
        await using (var writer = await Store.OpenWriterAsync("r", 1000, digest))
        {
            await writer.WriteAsync(content.AsMemory(0, 400));
            var status = await other.StatusAsync("r");
            Assert.Equal("r", status.Ref);
            Assert.Equal(400, status.Offset);
            Assert.Equal(1000, status.Total);
            Assert.Equal(digest, status.Expected);
            Assert.True(status.Locked);
            Assert.InRange(status.StartedAt, before, DateTimeOffset.UtcNow);
        }
        var after = await other.StatusAsync("r");
        Assert.False(after.Locked);
        Assert.Equal(400, after.Offset);

        var missing = await Assert.ThrowsAsync<NotFoundException>(() => other.StatusAsync("nope"));
        Assert.Equal(ErrorIds.IngestNotFound, missing.ErrorId);
    }

    [Fact]
    public async Task ListStatusesFiltersByRefTotalExpectedAndLock()
    {
        var (content, digest) = CreateContent(100);
        await using (var a = await Store.OpenWriterAsync("a", 100, digest))
        {
            await a.WriteAsync(content.AsMemory(0, 10));
        }
        await using var b = await Store.OpenWriterAsync("b");
        await b.WriteAsync(content.AsMemory(0, 20));
        Directory.CreateDirectory(Path.Combine(Root, "ingest", "stray"));
        Directory.CreateDirectory(Path.Combine(Root, "ingest", ".trash-0123"));

        Assert.Equal(["a", "b"], (await Store.ListStatusesAsync()).Select(s => s.Ref));
        Assert.Equal(["a"], (await Store.ListStatusesAsync(["ref==a"])).Select(s => s.Ref));
        Assert.Equal(["a"], (await Store.ListStatusesAsync(["total==100"])).Select(s => s.Ref));
        Assert.Equal(["a"], (await Store.ListStatusesAsync([$"expected=={digest}"])).Select(s => s.Ref));
        Assert.Equal(["b"], (await Store.ListStatusesAsync(["locked==true"])).Select(s => s.Ref));
        Assert.Equal(["a", "b"], (await Store.ListStatusesAsync(["offset==10", "offset==20"])).Select(s => s.Ref));
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.ListStatusesAsync(["ref=="]));
        Assert.Equal(ErrorIds.InvalidFilter, ex.ErrorId);
    }

    [Fact]
    public async Task AbortIsUnavailableWhileLockedNotFoundWhenAbsentAndRemovesTheIngest()
    {
        var writer = await Store.OpenWriterAsync("r");
        await writer.WriteAsync(new byte[10]);
        var locked = await Assert.ThrowsAsync<UnavailableException>(() => Store.AbortAsync("r"));
        Assert.Equal(ErrorIds.IngestLocked, locked.ErrorId);
        await writer.DisposeAsync();

        await Store.AbortAsync("r");
        Assert.False(File.Exists(IngestOf("r").Data));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.StatusAsync("r"));
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => Store.AbortAsync("r"));
        Assert.Equal(ErrorIds.IngestNotFound, missing.ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Root, "ingest")));

        await using var again = await Store.OpenWriterAsync("r");
        Assert.Equal(0, again.Status().Offset);
    }

    [Fact]
    public async Task TheIngestFilesAreNamedByTheHashOfTheRef()
    {
        var (content, digest) = CreateContent(50);
        await using (var writer = await Store.OpenWriterAsync("docker.io/library/x:latest", 50, digest))
        {
            await writer.WriteAsync(content.AsMemory(0, 20));
        }
        var key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("docker.io/library/x:latest"u8));
        Assert.Equal(
            [key + ".data", key + ".json"],
            Directory.EnumerateFileSystemEntries(Path.Combine(Root, "ingest")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var files = IngestOf("docker.io/library/x:latest");
        var record = Info(files);
        Assert.Equal("docker.io/library/x:latest", record["ref"]!.GetValue<string>());
        Assert.Equal(50, record["total"]!.GetValue<long>());
        Assert.Equal(digest.ToString(), record["expected"]!.GetValue<string>());
        Assert.Equal(Environment.ProcessId, record["holder"]!["pid"]!.GetValue<int>());
        Assert.Equal(20, Checkpoint(files).Offset);
        Assert.Equal(content[..20], File.ReadAllBytes(files.Data));
    }

    [Fact]
    public async Task AFreshWriterOfSmallKnownContentCreatesOnlyItsDataFileYetEveryStoreOfTheProcessSeesIt()
    {
        // Each file created and deleted per blob costs the file system more than a small blob's bytes.
        await using var writer = await Store.OpenWriterAsync("r", 3, Digest.FromBytes([1, 2, 3]));
        await writer.WriteAsync(new byte[] { 1, 2 });
        Assert.Equal([IngestOf("r").Key + ".data"], Directory.EnumerateFileSystemEntries(Path.Combine(Root, "ingest")).Select(Path.GetFileName));
        var status = await OpenStore().StatusAsync("r");
        Assert.Equal(2, status.Offset);
        Assert.True(status.Locked);
        Assert.Equal(status.StartedAt, writer.Status().StartedAt);
        Assert.Equal(["r"], (await OpenStore().ListStatusesAsync()).Select(s => s.Ref));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(LocalContentWriter.DeferredRecordMaxSize + 1)]
    public async Task AWriterOfUnknownOrLargeContentWritesItsRecordAtOpen(long size)
    {
        await using var writer = await Store.OpenWriterAsync("r", size);
        var record = Info(IngestOf("r"));
        Assert.Equal("r", record["ref"]!.GetValue<string>());
        Assert.Equal(0, Checkpoint(IngestOf("r")).Offset);
        Assert.Equal(Environment.ProcessId, record["holder"]!["pid"]!.GetValue<int>());
    }

    [Fact]
    public async Task UpdatedAtIsCheckpointedAtMostAboutOnceASecondAndOnClose()
    {
        var writer = await Store.OpenWriterAsync("r");
        var files = IngestOf("r");
        var opened = DateTimeOffset.UtcNow;
        for (var i = 0; i < 50; i++)
        {
            await writer.WriteAsync(new byte[] { (byte)i });
        }
        if (DateTimeOffset.UtcNow - opened < TimeSpan.FromMilliseconds(900))
        {
            Assert.Equal(0, Checkpoint(files).Offset);
        }

        await Task.Delay(1100);
        await writer.WriteAsync(new byte[] { 50 });
        var checkpointed = Checkpoint(files);
        Assert.Equal(writer.Status().UpdatedAt, checkpointed.UpdatedAt);
        Assert.Equal(51, checkpointed.Offset);

        await writer.WriteAsync(new byte[] { 51 });
        var last = writer.Status().UpdatedAt;
        await writer.DisposeAsync();
        Assert.Equal((52L, last), Checkpoint(files));
    }

    private static (long Offset, DateTimeOffset UpdatedAt) Checkpoint(IngestFiles files)
    {
        var record = Info(files);
        return (record["offset"]!.GetValue<long>(),
            DateTimeOffset.Parse(record["updatedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static JsonObject Info(IngestFiles files) => JsonNode.Parse(File.ReadAllBytes(files.Record))!.AsObject();

    private static void RewriteInfo(IngestFiles files, Action<JsonObject> edit)
    {
        var info = Info(files);
        edit(info);
        File.WriteAllText(files.Record, info.ToJsonString());
    }

    public enum Tampering
    {
        RefFileDiffers,
        DataShorterThanCheckpoint,
        DataLongerThanTotal,
        ExpectedDigestChanged,
        TotalChanged,
        ExpectedFileGarbage,
        RecordTorn,
    }

    [Theory]
    [InlineData(Tampering.RefFileDiffers)]
    [InlineData(Tampering.DataShorterThanCheckpoint)]
    [InlineData(Tampering.DataLongerThanTotal)]
    [InlineData(Tampering.ExpectedDigestChanged)]
    [InlineData(Tampering.TotalChanged)]
    [InlineData(Tampering.ExpectedFileGarbage)]
    [InlineData(Tampering.RecordTorn)]
    public async Task APartialIngestThatCannotBeTrustedIsStartedOver(Tampering tampering)
    {
        var (content, digest) = CreateContent(1000);
        var (_, otherDigest) = CreateContent(1000);
        await using (var writer = await Store.OpenWriterAsync("r", 1000, digest))
        {
            await writer.WriteAsync(content.AsMemory(0, 600));
        }
        var files = IngestOf("r");
        var started = DateTimeOffset.Parse(Info(files)["startedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        long reopenSize = 1000;
        var reopenDigest = digest;
        switch (tampering)
        {
            case Tampering.RefFileDiffers:
                RewriteInfo(files, info => info["ref"] = "another ref with the same hash");
                break;
            case Tampering.DataShorterThanCheckpoint:
                using (var data = new FileStream(files.Data, FileMode.Open))
                {
                    data.SetLength(599);
                }
                break;
            case Tampering.DataLongerThanTotal:
                File.AppendAllText(files.Data, new string('x', 401));
                break;
            case Tampering.ExpectedDigestChanged:
                reopenDigest = otherDigest;
                break;
            case Tampering.TotalChanged:
                reopenSize = 999;
                break;
            case Tampering.ExpectedFileGarbage:
                RewriteInfo(files, info => info["expected"] = "sha256:../../etc");
                break;
            case Tampering.RecordTorn:
                var whole = File.ReadAllBytes(files.Record);
                File.WriteAllBytes(files.Record, whole[..(whole.Length / 2)]);
                Assert.Empty(await Store.ListStatusesAsync());
                break;
        }

        await Task.Delay(5); // a fresh start gets a later startedat
        await using var reopened = await Store.OpenWriterAsync("r", reopenSize, reopenDigest);
        Assert.Equal(0, reopened.Status().Offset);
        Assert.Equal(Digest.FromBytes([]), reopened.Digest);
        Assert.Equal(reopenSize, reopened.Status().Total);
        Assert.Equal(reopenDigest, reopened.Status().Expected);
        Assert.True(reopened.Status().StartedAt > started);
        Assert.Equal(0, new FileInfo(files.Data).Length);
        // Small known content: the stale record went first, and no new one is written until it lasts.
        Assert.False(File.Exists(files.Record));
        Assert.Equal(reopened.Status().StartedAt, (await OpenStore().StatusAsync("r")).StartedAt);
    }

    [Fact]
    public async Task ATrustworthyPartialIngestIsResumedWithoutOrWithTheSameExpectations()
    {
        var (content, digest) = CreateContent(1000);
        await using (var writer = await Store.OpenWriterAsync("r", 1000, digest))
        {
            await writer.WriteAsync(content.AsMemory(0, 600));
        }
        // Reopened with nothing expected: the recorded expectations stand.
        await using (var writer = await Store.OpenWriterAsync("r"))
        {
            Assert.Equal(600, writer.Status().Offset);
            Assert.Equal(1000, writer.Status().Total);
            Assert.Equal(digest, writer.Status().Expected);
            Assert.Equal(Digest.FromBytes(content.AsSpan(0, 600)), writer.Digest);
        }
        await using (var writer = await Store.OpenWriterAsync("r", 1000, digest))
        {
            Assert.Equal(600, writer.Status().Offset);
            await writer.WriteAsync(content.AsMemory(600));
            await writer.CommitAsync(1000, digest);
        }
    }

    [Fact]
    public async Task TruncateResetsTheRunningDigestAndTheCheckpoint()
    {
        var (content, _) = CreateContent(100);
        await using (var writer = await Store.OpenWriterAsync("r"))
        {
            await writer.WriteAsync(content);
            await writer.TruncateAsync(40);
            Assert.Equal(40, writer.Status().Offset);
            Assert.Equal(Digest.FromBytes(content.AsSpan(0, 40)), writer.Digest);
            await writer.TruncateAsync(0);
            Assert.Equal(0, writer.Status().Offset);
            Assert.Equal(Digest.FromBytes([]), writer.Digest);
            await Assert.ThrowsAsync<InvalidArgumentException>(() => writer.TruncateAsync(1));
            await writer.WriteAsync(content.AsMemory(0, 30));
        }
        await using var reopened = await Store.OpenWriterAsync("r");
        Assert.Equal(30, reopened.Status().Offset);
        Assert.Equal(Digest.FromBytes(content.AsSpan(0, 30)), reopened.Digest);
    }

    [Fact]
    public async Task AWriterIsFinishedAfterCommitOrDispose()
    {
        var (content, digest) = CreateContent(10);
        var writer = await Store.OpenWriterAsync("r");
        await writer.WriteAsync(content);
        await writer.CommitAsync(10, digest);
        Assert.Equal(digest, writer.Digest);
        var ex = await Assert.ThrowsAsync<FailedPreconditionException>(async () => await writer.WriteAsync(content));
        Assert.Equal(ErrorIds.WriterClosed, ex.ErrorId);
        await Assert.ThrowsAsync<FailedPreconditionException>(() => writer.CommitAsync(10, digest));
        await Assert.ThrowsAsync<FailedPreconditionException>(() => writer.TruncateAsync(0));
        await writer.DisposeAsync();
        await Assert.ThrowsAsync<NotFoundException>(() => Store.StatusAsync("r"));

        var disposed = await Store.OpenWriterAsync("s");
        await disposed.DisposeAsync();
        await disposed.DisposeAsync();
        await Assert.ThrowsAsync<FailedPreconditionException>(async () => await disposed.WriteAsync(content));
        Assert.Equal(Digest.FromBytes([]), disposed.Digest);
    }

    [Fact]
    public async Task CommittedBlobIsReadOnlyAtItsDigestPathAndTheIngestIsGone()
    {
        var (content, digest) = CreateContent(4096);
        await using (var writer = await Store.OpenWriterAsync("r", 4096, digest))
        {
            await writer.WriteAsync(content);
            await writer.CommitAsync(4096, digest);
        }
        var blob = Path.Combine(Root, "blobs", "sha256", digest.Encoded);
        Assert.Equal(content, File.ReadAllBytes(blob));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(blob));
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Root, "ingest")));
        Assert.Empty(await Store.ListStatusesAsync());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task RefsCommittingTheSameContentAtOnceOneWinsTheOthersGetAlreadyExists(int round)
    {
        // .NET's File.Move(overwrite: false) checks then renames, and lost this race about one run in three.
        var (content, digest) = CreateContent(100_000 * round);
        var writers = new List<IContentWriter>();
        for (var i = 0; i < 6; i++)
        {
            var writer = await Store.OpenWriterAsync($"r{i}");
            await writer.WriteAsync(content);
            writers.Add(writer);
        }
        using var start = new ManualResetEventSlim();
        var commits = writers.Select(w => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                await w.CommitAsync(content.Length, digest);
                return "committed";
            }
            catch (AlreadyExistsException)
            {
                return "exists";
            }
        })).ToList();
        start.Set();
        var outcomes = await Task.WhenAll(commits);
        foreach (var writer in writers) await writer.DisposeAsync();

        Assert.Single(outcomes, o => o == "committed");
        Assert.Equal(5, outcomes.Count(o => o == "exists"));
        await using var reader = await Store.OpenReaderAsync(digest);
        Assert.Equal(digest, await Digest.FromStreamAsync(reader.AsStream()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Root, "ingest")));
    }

    [Fact]
    public async Task DeleteRemovesTheBlobAndItsLabels()
    {
        var (content, digest) = CreateContent(10);
        await ContentHelpers.WriteBlobAsync(Store, "r", new MemoryStream(content), DescriptorOf(content, digest), new Dictionary<string, string> { ["a"] = "b" });
        Assert.Equal("b", (await Store.InfoAsync(digest)).Labels["a"]);

        await Store.DeleteAsync(digest);
        var info = await Assert.ThrowsAsync<NotFoundException>(() => Store.InfoAsync(digest));
        Assert.Equal(ErrorIds.BlobNotFound, info.ErrorId);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.DeleteAsync(digest));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.OpenReaderAsync(digest));

        await ContentHelpers.WriteBlobAsync(Store, "r", new MemoryStream(content), DescriptorOf(content, digest));
        Assert.Empty((await Store.InfoAsync(digest)).Labels);
    }

    [Fact]
    public async Task ReadersKeepReadingABlobThatIsDeleted()
    {
        var (content, digest) = CreateContent(1000);
        await ContentHelpers.WriteBlobAsync(Store, "r", new MemoryStream(content), DescriptorOf(content, digest));
        await using var reader = await Store.OpenReaderAsync(digest);
        await Store.DeleteAsync(digest);
        var buffer = new byte[1000];
        Assert.Equal(1000, await reader.ReadAtAsync(buffer, 0));
        Assert.Equal(content, buffer);
    }
}
