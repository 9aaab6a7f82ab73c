using System.Diagnostics;
using System.Formats.Tar;
using ContentPS.Engine.Archives;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ZstdSharp;

namespace ContentPS.Engine.Unpack;

/// <summary>
/// Builds a root filesystem from an image whose content is in a store (umoci's raw unpack, containerd's apply).
/// Layers are applied in order, each streamed (blob → decompression → tar) with its uncompressed digest checked
/// against the config's diff ID as it goes. A layer that fails — diff ID mismatch, a refused or impossible entry,
/// corrupt data, cancellation — is rolled back by its <see cref="LayerJournal"/>, so the target is left as the
/// previous layer left it. Nothing is written outside the target: see <see cref="LayerEntryName"/> and
/// <see cref="RootResolver"/>.
/// </summary>
public static class ImageUnpack
{
    private const long ProgressStep = 1 << 20;

    public static Task<UnpackResult> UnpackAsync(UnpackRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Store);
        ArgumentNullException.ThrowIfNull(request.Manifest);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.TargetDirectory);
        return UnpackCoreAsync(request, cancellationToken);
    }

    private static async Task<UnpackResult> UnpackCoreAsync(UnpackRequest request, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var plan = await UnpackPlan.ReadAsync(request.Store, request.Manifest, cancellationToken).ConfigureAwait(false);
        var root = PrepareTarget(request.TargetDirectory);
        var owners = request.PreserveOwnership && Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows();
        var target = new UnpackTarget(root, new IncludeFilter(request.Include), owners);
        try
        {
            await ApplyLayersAsync(request, plan, target, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also after a failure: the target then looks exactly as the layers before the failed one left it.
            target.Directories.Apply(owners);
        }

        return new UnpackResult(plan.Platform, plan.Layers.Count, target.Files, target.Bytes, target.Skips.Count, target.Skips.Reasons.ToList(), stopwatch.Elapsed);
    }

    private static async Task ApplyLayersAsync(UnpackRequest request, UnpackPlan plan, UnpackTarget target, CancellationToken cancellationToken)
    {
        for (var i = 0; i < plan.Layers.Count; i++)
        {
            var (layer, diffId) = plan.Layers[i];
            await using var reader = await request.Store.OpenReaderAsync(layer.Digest, cancellationToken).ConfigureAwait(false);
            if (reader.Size != layer.Size)
            {
                throw new DataLossException(
                    $"blob {layer.Digest} holds {reader.Size} bytes but its descriptor says {layer.Size}", ErrorIds.BlobCorrupt) { Target = layer.Digest.ToString() };
            }

            var number = i + 1;
            var progress = request.Progress is null ? null : new Action<long, bool>((read, done) =>
                request.Progress.Report(new UnpackProgress(number, plan.Layers.Count, layer, read, target.Files, target.Bytes, done)));
            await Task.Run(() => ApplyLayer(target, layer, diffId, reader.AsStream(), progress, cancellationToken), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static string PrepareTarget(string directory)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (File.Exists(root))
        {
            throw new InvalidArgumentException($"the unpack target {root} is a file, not a directory", ErrorIds.InvalidPath) { Target = root };
        }

        Directory.CreateDirectory(root);
        return root;
    }

    private static void ApplyLayer(UnpackTarget target, Descriptor layer, Digest diffId, Stream blob, Action<long, bool>? progress, CancellationToken cancellationToken)
    {
        var journal = new LayerJournal(target.Root);
        var directories = target.Directories.Snapshot();
        long reported = 0;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var counted = new ProgressReadStream(blob, read =>
            {
                if (read - reported >= ProgressStep)
                {
                    reported = read;
                    progress?.Invoke(read, false);
                }
            });
            using var uncompressed = new DiffIdStream(LayerDecompression.Open(new BufferedStream(counted, 256 * 1024)), diffId.Algorithm);
            var applier = new LayerApplier(target, layer, journal, cancellationToken);
            using (var tar = new TarReader(uncompressed, leaveOpen: true))
            {
                while (tar.GetNextEntry(copyData: false) is { } entry)
                {
                    applier.Apply(entry);
                }
            }

            var actual = uncompressed.DrainAndDigest(cancellationToken);
            if (actual != diffId)
            {
                throw UnpackErrors.DiffIdMismatch(layer.Digest, diffId, actual.ToString());
            }

            journal.Commit();
            progress?.Invoke(layer.Size, true);
        }
        catch (Exception ex)
        {
            RollBack(target, layer, journal, directories, ex);
            throw Classify(layer, ex);
        }
    }

    private static void RollBack(UnpackTarget target, Descriptor layer, LayerJournal journal, Dictionary<string, DirectoryAttribute> directories, Exception cause)
    {
        try
        {
            journal.Rollback();
            target.Resolver.Invalidate();
            target.Directories.Restore(directories);
        }
        catch (Exception rollback) when (rollback is IOException or UnauthorizedAccessException)
        {
            var message = $"layer {layer.Digest} failed ({cause.Message}) and rolling it back failed too: {rollback.Message}; "
                + $"what the layer replaced is kept in {journal.BackupDirectory}";
            throw new InternalException(message, ErrorIds.Internal, new AggregateException(cause, rollback)) { Target = layer.Digest.ToString() };
        }
    }

    // Decompression and tar format failures become LayerCorrupt; classified errors and cancellation pass as they are.
    private static Exception Classify(Descriptor layer, Exception ex) => ex switch
    {
        ClassifiedException or OperationCanceledException => ex,
        InvalidDataException or EndOfStreamException or FormatException or ZstdException =>
            UnpackErrors.Corrupt(layer.Digest, ex.Message, ex),
        _ => Errors.Wrap(ex, $"layer {layer.Digest}"),
    };
}
