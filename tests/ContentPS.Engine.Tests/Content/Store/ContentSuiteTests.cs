using System.Globalization;
using System.Text.RegularExpressions;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Content.Store;

/// <summary>containerd's content/testsuite, ported: the contract every content store keeps.</summary>
public sealed class ContentSuiteTests : StoreTestBase
{
    private static readonly Dictionary<string, string> GcRoot = new()
    {
        ["containerd.io/gc.root"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    };

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task Writer(bool withSize, bool withDigest)
    {
        var (content, digest) = CreateContent(256);
        await using var writer = await Store.OpenWriterAsync(
            $"c-{withSize}-{withDigest}", withSize ? content.Length : 0, withDigest ? digest : null);

        await WriteInPiecesAsync(writer, content, 32);

        var preCommit = DateTimeOffset.UtcNow;
        await writer.CommitAsync(0, null, GcRoot);
        var postCommit = DateTimeOffset.UtcNow;

        Assert.Equal(digest, writer.Digest);
        await CheckInfoAsync(digest, 256, GcRoot, preCommit, postCommit, preCommit, postCommit);
    }

    [Fact]
    public async Task WriterOf32MiBThroughATinyBufferAndReadBack()
    {
        var (content, digest) = CreateContent(32 << 20);
        await using (var writer = await Store.OpenWriterAsync("big", content.Length, digest))
        {
            await WriteInPiecesAsync(writer, content.AsSpan(0, 4096).ToArray(), 7); // a tiny buffer for a start
            await writer.WriteAsync(content.AsMemory(4096));
            await writer.CommitAsync(content.Length, digest, new Dictionary<string, string> { ["k"] = "v" });
        }

        var info = await Store.InfoAsync(digest);
        Assert.Equal(32L << 20, info.Size);
        Assert.Equal("v", info.Labels["k"]);
        await using var reader = await Store.OpenReaderAsync(digest);
        Assert.Equal(32L << 20, reader.Size);
        await using var stream = reader.AsStream();
        Assert.Equal(digest, await Digest.FromStreamAsync(stream));
    }

    [Fact]
    public async Task UpdateStatus()
    {
        var (content, digest) = CreateContent(256);
        var preStart = DateTimeOffset.UtcNow;
        await using var writer = await Store.OpenWriterAsync("c1", 256, digest);
        var postStart = DateTimeOffset.UtcNow;

        CheckStatus(writer, "c1", 0, 256, Digest.FromBytes([]), preStart, postStart, preStart, postStart);

        var preUpdate = DateTimeOffset.UtcNow;
        await writer.WriteAsync(content.AsMemory(0, 64));
        var postUpdate = DateTimeOffset.UtcNow;
        CheckStatus(writer, "c1", 64, 256, Digest.FromBytes(content.AsSpan(0, 64)), preStart, postStart, preUpdate, postUpdate);

        preUpdate = DateTimeOffset.UtcNow;
        await writer.WriteAsync(content.AsMemory(64, 128));
        postUpdate = DateTimeOffset.UtcNow;
        CheckStatus(writer, "c1", 192, 256, Digest.FromBytes(content.AsSpan(0, 192)), preStart, postStart, preUpdate, postUpdate);

        preUpdate = DateTimeOffset.UtcNow;
        await writer.WriteAsync(content.AsMemory(192));
        postUpdate = DateTimeOffset.UtcNow;
        CheckStatus(writer, "c1", 256, 256, digest, preStart, postStart, preUpdate, postUpdate);
        Assert.Equal(digest, writer.Status().Expected);

        var preCommit = DateTimeOffset.UtcNow;
        await writer.CommitAsync(0, null, GcRoot);
        var postCommit = DateTimeOffset.UtcNow;
        await CheckInfoAsync(digest, 256, GcRoot, preCommit, postCommit, preCommit, postCommit);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CommitExists(bool withExpectedDigest)
    {
        var (content, digest) = CreateContent(256);
        Assert.True(await ContentHelpers.WriteBlobAsync(Store, "c1", new MemoryStream(content), DescriptorOf(content, digest)));

        var reference = $"c1-commitexists-{withExpectedDigest}";
        await using var writer = await Store.OpenWriterAsync(reference);
        await writer.WriteAsync(content);
        var ex = await Assert.ThrowsAsync<AlreadyExistsException>(
            () => writer.CommitAsync(content.Length, withExpectedDigest ? digest : null));
        Assert.Equal(ErrorIds.BlobAlreadyExists, ex.ErrorId);
        Assert.Contains(digest.ToString(), ex.Message, StringComparison.Ordinal);
        // The ingest is cleaned up, and the blob is intact.
        await Assert.ThrowsAsync<NotFoundException>(() => Store.StatusAsync(reference));
        await using var reader = await Store.OpenReaderAsync(digest);
        Assert.Equal(digest, await Digest.FromStreamAsync(reader.AsStream()));
    }

    [Fact]
    public async Task Resume()
    {
        const string reference = "cb";
        var (content, digest) = CreateContent(256);
        var first = content.AsMemory(0, 128);

        var preStart = DateTimeOffset.UtcNow;
        var w1 = await Store.OpenWriterAsync(reference, 256, digest);
        var postStart = DateTimeOffset.UtcNow;
        var preUpdate = postStart;
        await w1.WriteAsync(first);
        var postUpdate = DateTimeOffset.UtcNow;

        var digestFirst = Digest.FromBytes(first.Span);
        CheckStatus(w1, reference, 128, 256, digestFirst, preStart, postStart, preUpdate, postUpdate);
        await w1.DisposeAsync();

        await using var w2 = await Store.OpenWriterAsync(reference, 256, digest);
        // Consistent with the status before close, and the running digest was restored by re-hashing the data.
        CheckStatus(w2, reference, 128, 256, digestFirst, preStart, postStart, preUpdate, postUpdate);

        preUpdate = DateTimeOffset.UtcNow;
        await w2.WriteAsync(content.AsMemory(128));
        postUpdate = DateTimeOffset.UtcNow;
        CheckStatus(w2, reference, 256, 256, digest, preStart, postStart, preUpdate, postUpdate);

        var preCommit = DateTimeOffset.UtcNow;
        await w2.CommitAsync(0, null);
        var postCommit = DateTimeOffset.UtcNow;
        await CheckInfoAsync(digest, 256, null, preCommit, postCommit, preCommit, postCommit);
    }

    [Fact]
    public async Task SmallBlob()
    {
        var blob = "foobar"u8.ToArray();
        var digest = Digest.FromBytes(blob);
        await using (var writer = await Store.OpenWriterAsync(nameof(SmallBlob), blob.Length, digest))
        {
            await writer.WriteAsync(blob);
            await writer.CommitAsync(blob.Length, digest);
        }

        await using var reader = await Store.OpenReaderAsync(digest);
        var buffer = new byte[blob.Length + 1];
        Assert.Equal(blob.Length, await reader.ReadAtAsync(buffer, 0));
        Assert.Equal(blob, buffer[..blob.Length]);
        Assert.Equal(0, await reader.ReadAtAsync(buffer, blob.Length));
        Assert.Equal(2, await reader.ReadAtAsync(buffer, 4));
        Assert.Equal("ar"u8.ToArray(), buffer[..2]);

        await using var stream = reader.AsStream();
        Assert.True(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Equal(blob.Length, stream.Length);
        stream.Seek(-3, SeekOrigin.End);
        Assert.Equal(3, stream.Read(buffer, 0, buffer.Length));
        Assert.Equal("bar"u8.ToArray(), buffer[..3]);
        Assert.Equal(0, stream.Read(buffer, 0, buffer.Length));
    }

    [Fact]
    public async Task Labels()
    {
        var (content, digest) = CreateContent(256);
        await using var writer = await Store.OpenWriterAsync("c1-checklabels", 256, digest);
        await writer.WriteAsync(content);

        var rootTime = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var labels = new Dictionary<string, string> { ["k1"] = "v1", ["k2"] = "v2", ["containerd.io/gc.root"] = rootTime };
        var preCommit = DateTimeOffset.UtcNow;
        await writer.CommitAsync(0, null, labels);
        var postCommit = DateTimeOffset.UtcNow;
        await CheckInfoAsync(digest, 256, labels, preCommit, postCommit, preCommit, postCommit);

        // Full replace.
        labels = new Dictionary<string, string> { ["k1"] = "newvalue", ["k3"] = "v3", ["containerd.io/gc.root"] = rootTime };
        var preUpdate = DateTimeOffset.UtcNow;
        var updated = await Store.UpdateAsync(new ContentInfo { Digest = digest, Size = 256, CreatedAt = default, UpdatedAt = default, Labels = labels });
        var postUpdate = DateTimeOffset.UtcNow;
        Assert.Equal(labels.OrderBy(l => l.Key), updated.Labels.OrderBy(l => l.Key));
        await CheckInfoAsync(digest, 256, labels, preCommit, postCommit, preUpdate, postUpdate);

        // Per key: labels.k3 is absent from the info (deleted), labels.k1 is set.
        var info = new ContentInfo
        {
            Digest = digest, Size = 256, CreatedAt = default, UpdatedAt = default,
            Labels = new Dictionary<string, string> { ["k1"] = "v1", ["containerd.io/gc.root"] = rootTime },
        };
        preUpdate = DateTimeOffset.UtcNow;
        await Store.UpdateAsync(info, ["labels.k3", "labels.k1"]);
        postUpdate = DateTimeOffset.UtcNow;
        await CheckInfoAsync(digest, 256, info.Labels, preCommit, postCommit, preUpdate, postUpdate);

        // An empty value deletes too; other field paths are refused.
        await Store.UpdateAsync(info with { Labels = new Dictionary<string, string> { ["k1"] = "" } }, ["labels.k1"]);
        Assert.Equal(["containerd.io/gc.root"], (await Store.InfoAsync(digest)).Labels.Keys);
        var bad = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.UpdateAsync(info, ["size"]));
        Assert.Equal(ErrorIds.InvalidFieldPath, bad.ErrorId);
    }

    [Fact]
    public async Task UpdateOfAMissingBlobIsNotFound()
    {
        var (_, digest) = CreateContent(10);
        var ex = await Assert.ThrowsAsync<NotFoundException>(() => Store.UpdateAsync(
            new ContentInfo { Digest = digest, Size = 10, CreatedAt = default, UpdatedAt = default, Labels = new Dictionary<string, string> { ["a"] = "b" } }));
        Assert.Equal(ErrorIds.BlobNotFound, ex.ErrorId);
    }

    [Fact]
    public async Task CommitErrorState()
    {
        var (c1, d1) = CreateContent(256);
        var (_, d2) = CreateContent(256);
        var more = c1.Concat("more"u8.ToArray()).ToArray();
        Assert.True(await ContentHelpers.WriteBlobAsync(Store, "c1", new MemoryStream(c1), DescriptorOf(c1, d1)));

        const string reference = "c1-commiterror-state";
        var w = await Store.OpenWriterAsync(reference);
        await w.WriteAsync(c1);
        await CheckRefNotAvailableAsync(reference);

        // Existing content, with its digest.
        await Assert.ThrowsAsync<AlreadyExistsException>(() => w.CommitAsync(c1.Length, d1));
        await w.DisposeAsync();

        // Existing content, without a digest.
        w = await Store.OpenWriterAsync(reference);
        await CheckRefNotAvailableAsync(reference);
        Assert.Equal(0, w.Status().Offset);
        await w.WriteAsync(c1);
        await Assert.ThrowsAsync<AlreadyExistsException>(() => w.CommitAsync(c1.Length, null));
        await w.DisposeAsync();

        // Wrong digest: FailedPrecondition naming both digests, and the bad bytes are gone.
        w = await Store.OpenWriterAsync(reference);
        await CheckRefNotAvailableAsync(reference);
        await w.WriteAsync(more);
        var digestError = await Assert.ThrowsAsync<FailedPreconditionException>(() => w.CommitAsync(more.Length, d2));
        Assert.Equal(ErrorIds.DigestMismatch, digestError.ErrorId);
        Assert.Contains($"expected {d2}, got {Digest.FromBytes(more)}", digestError.Message, StringComparison.Ordinal);
        await w.DisposeAsync();
        await Assert.ThrowsAsync<NotFoundException>(() => Store.StatusAsync(reference));

        // Wrong size: the same, naming both sizes.
        w = await Store.OpenWriterAsync(reference);
        await CheckRefNotAvailableAsync(reference);
        Assert.Equal(0, w.Status().Offset);
        await w.WriteAsync(more);
        var sizeError = await Assert.ThrowsAsync<FailedPreconditionException>(() => w.CommitAsync(c1.Length, null));
        Assert.Equal(ErrorIds.SizeMismatch, sizeError.ErrorId);
        Assert.Contains("expected 256 bytes, got 260", sizeError.Message, StringComparison.Ordinal);
        await w.DisposeAsync();

        // Then a correct commit.
        w = await Store.OpenWriterAsync(reference);
        await CheckRefNotAvailableAsync(reference);
        Assert.Equal(0, w.Status().Offset);
        await w.WriteAsync(more);
        await w.CommitAsync(more.Length, null);
        await w.DisposeAsync();
        Assert.Equal(more.Length, (await Store.InfoAsync(Digest.FromBytes(more))).Size);

        // Reopen the same ref: a new ingest, and committing existing content fails again.
        w = await Store.OpenWriterAsync(reference);
        await w.WriteAsync(c1);
        await CheckRefNotAvailableAsync(reference);
        await Assert.ThrowsAsync<AlreadyExistsException>(() => w.CommitAsync(c1.Length, d1));
        await w.DisposeAsync();

        w = await Store.OpenWriterAsync(reference);
        await CheckRefNotAvailableAsync(reference);
        await w.DisposeAsync();
        w = await Store.OpenWriterAsync(reference);
        await w.DisposeAsync();
    }

    [Fact]
    public async Task TryLockMessageSaysHowLongTheRefHasBeenLocked()
    {
        await using var writer = await Store.OpenWriterAsync("locked-ref");
        await Task.Delay(1100);
        var ex = await Assert.ThrowsAsync<UnavailableException>(() => OpenStore().OpenWriterAsync("locked-ref"));
        Assert.Equal(ErrorIds.IngestLocked, ex.ErrorId);
        Assert.Equal("locked-ref", ex.Target);
        var match = Regex.Match(ex.Message,
            @"^ref locked-ref locked for (?<seconds>\d+\.\d)s \(since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z, by process (?<pid>\d+)\): another writer is using it$");
        Assert.True(match.Success, ex.Message);
        Assert.InRange(double.Parse(match.Groups["seconds"].Value, CultureInfo.InvariantCulture), 1.0, 60);
        Assert.Equal(Environment.ProcessId, int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task WalkListsSha256AndSha512BlobsAndSkipsEverythingElse()
    {
        var (a, da) = CreateContent(100);
        var (b, db) = CreateContent(200);
        var (c, _) = CreateContent(300);
        var dc = Digest.FromBytes(c, Digest.Sha512);
        var (d, _) = CreateContent(400);
        var dd = Digest.FromBytes(d, Digest.Sha512);

        await ContentHelpers.WriteBlobAsync(Store, "a", new MemoryStream(a), DescriptorOf(a, da), new Dictionary<string, string> { ["team"] = "x" });
        await ContentHelpers.WriteBlobAsync(Store, "b", new MemoryStream(b), DescriptorOf(b, db), new Dictionary<string, string> { ["team"] = "y" });
        // A writer opened for a sha512 digest hashes with sha512 ...
        await ContentHelpers.WriteBlobAsync(Store, "c", new MemoryStream(c), DescriptorOf(c, dc));
        // ... and a sha256 writer committed with a sha512 digest re-hashes.
        await using (var writer = await Store.OpenWriterAsync("d"))
        {
            await writer.WriteAsync(d);
            await writer.CommitAsync(d.Length, dd);
        }
        Assert.True(File.Exists(Path.Combine(Root, "blobs", "sha512", dc.Encoded)));

        // Things that are not blobs.
        File.WriteAllText(Path.Combine(Root, "blobs", "sha256", ".tmp-123"), "x");
        File.WriteAllText(Path.Combine(Root, "blobs", "sha256", da.Encoded.ToUpperInvariant()), "x");
        File.WriteAllText(Path.Combine(Root, "blobs", "sha256", "abc"), "x");
        Directory.CreateDirectory(Path.Combine(Root, "blobs", "sha256", new string('0', 64)));
        Directory.CreateDirectory(Path.Combine(Root, "blobs", "md5"));
        File.WriteAllText(Path.Combine(Root, "blobs", "md5", "0cc175b9c0f1b6a831c399e269772661"), "a");

        var all = await Store.WalkAsync().ToListAsync();
        Assert.Equal(
            new[] { da, db, dc, dd }.Select(x => x.ToString()).Order(StringComparer.Ordinal),
            all.Select(i => i.Digest.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(300, all.Single(i => i.Digest == dc).Size);

        Assert.Equal([da], await Store.WalkAsync(["labels.team==x"]).Select(i => i.Digest).ToListAsync());
        Assert.Equal([db, dd], await Store.WalkAsync([$"digest=={db}", "size==400"]).Select(i => i.Digest).ToListAsync());
        Assert.Equal([da, db], (await Store.WalkAsync(["labels.team"]).Select(i => i.Digest).ToListAsync()).OrderBy(x => x == da ? 0 : 1));
        Assert.Empty(await Store.WalkAsync(["labels.team==x,size==200"]).ToListAsync());
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(async () => await Store.WalkAsync(["labels.team=="]).ToListAsync());
        Assert.Equal(ErrorIds.InvalidFilter, ex.ErrorId);
    }

    private async Task CheckRefNotAvailableAsync(string reference)
    {
        var ex = await Assert.ThrowsAsync<UnavailableException>(() => Store.OpenWriterAsync(reference));
        Assert.Equal(ErrorIds.IngestLocked, ex.ErrorId);
    }
}
