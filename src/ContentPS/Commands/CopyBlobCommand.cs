using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Transfer.Copy;
using ContentPS.Internal;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Copies blobs by digest between registry repositories and the content store: mounted on the same registry, else streamed and verified; what the destination has is skipped.</para>
/// </summary>
/// <remarks>
/// Input is collected first; every blob is confirmed (ShouldProcess) before any request, then the blobs are
/// copied in parallel, each by its own engine call, so one failing blob is that blob's error and the others go on.
/// Objects come out in the order the blobs came in.
/// </remarks>
[Cmdlet(VerbsCommon.Copy, "Blob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(BlobCopyInfo))]
public sealed class CopyBlobCommand : RegistryCmdlet
{
    private readonly List<BlobInput> _inputs = [];
    private readonly HashSet<(Digest, string)> _seen = [];
    private readonly Dictionary<string, IContentStore?> _stores = new(StringComparer.Ordinal);
    private BlobCopyEndpoint _source = null!;
    private BlobCopyEndpoint _destination = null!;

    /// <summary>The digests of the blobs to copy (<c>sha256:…</c>); also bound from the <c>Digest</c> property of piped descriptors and blobs.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DigestCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Digest { get; set; } = [];

    /// <summary>Where the blobs are read: a registry repository (<c>registry.example/team/app</c>; a tag or digest is ignored) or <c>store:</c>, the content store.</summary>
    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(BlobCopyEndpointCompleter))]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = "";

    /// <summary>Where the blobs are written: a registry repository or <c>store:</c>, the content store. One side at most is the store.</summary>
    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(BlobCopyEndpointCompleter))]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>The size of the one blob named by <c>-Digest</c> (bound from piped descriptors); without it the size is asked of the source.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, long.MaxValue)]
    public long? Size { get; set; }

    /// <summary>The media type of the one blob named by <c>-Digest</c> (bound from piped descriptors); it is passed on to the output.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? MediaType { get; set; }

    /// <summary>The store root that <c>store:</c> names; default: <c>$env:CONTENTPS_STORE</c>, else the per-user store. Ignored when neither side is <c>store:</c>.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    /// <summary>Blobs copied at once.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = CopyRequest.DefaultMaxConcurrency;

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        _source = ParseEndpointOrThrow(Source);
        _destination = ParseEndpointOrThrow(Destination);
        if (_source.IsStore && _destination.IsStore)
        {
            ThrowTerminatingError(new InvalidArgumentException(
                "-Source and -Destination are both store:, and a store already holds its blobs: name a registry repository on one side",
                ErrorIds.InvalidArgument), Destination);
        }

        return Task.CompletedTask;
    }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        if ((Size is not null || MediaType is not null) && Digest.Length > 1)
        {
            ThrowTerminatingError(new InvalidArgumentException(
                $"-Size and -MediaType describe one blob, but {Digest.Length} digests came with them: give them one digest at a time",
                ErrorIds.InvalidArgument), Digest);
        }

        string? storeRoot = _source.IsStore || _destination.IsStore ? ResolveStoreRootOrThrow() : null;
        foreach (string text in Digest)
        {
            if (ParseDigestOrWriteError(text) is { } digest && _seen.Add((digest, storeRoot ?? "")))
            {
                _inputs.Add(new BlobInput(text, digest, Size, MediaType, storeRoot));
            }
        }

        return Task.CompletedTask;
    }

    protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
    {
        var confirmed = _inputs.Where(input => ShouldProcess(input.Target, $"Copy blob from {_source} to {Describe(_destination, input.StoreRoot)}")).ToList();
        if (confirmed.Count == 0)
        {
            return;
        }

        foreach (var root in confirmed.Select(input => input.StoreRoot).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            _stores[root] = OpenStoreOrThrow(root, create: _destination.IsStore);
        }

        var counts = new Dictionary<BlobCopyOutcome, int>();
        long bytes = 0;
        await using (var progress = new PullProgress(StartProgress($"Copying blobs from {_source} to {_destination}", $"{confirmed.Count} blobs")))
        {
            // Not disposed: copies still running when the call is stopped release their slot after the loop has left.
            var slots = new SemaphoreSlim(ThrottleLimit, ThrottleLimit);
            var copies = confirmed.Select(input => (Input: input, Copy: CopyInSlotAsync(input, progress.Tracker, slots, cancellationToken))).ToList();
            foreach (var (input, copy) in copies)
            {
                try
                {
                    BlobCopyInfo copied = await copy.ConfigureAwait(false);
                    counts[copied.Outcome] = counts.GetValueOrDefault(copied.Outcome) + 1;
                    bytes += copied.BytesCopied;
                    WriteObject(copied);
                }
                catch (ClassifiedException ex) when (ex.Class != ErrorClass.Canceled)
                {
                    WriteError(OfBlob(ex, input), input.Target);
                }
            }
        }

        WriteVerbose($"Copied blobs from {_source} to {_destination}: "
            + string.Join(", ", Enum.GetValues<BlobCopyOutcome>().Select(outcome => $"{counts.GetValueOrDefault(outcome)} {outcome.ToString().ToLowerInvariant()}"))
            + $", {bytes} bytes sent.");
    }

    private async Task<BlobCopyInfo> CopyInSlotAsync(BlobInput input, Engine.Transfer.ITransferTracker? tracker, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await CopyAsync(input, tracker, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<BlobCopyInfo> CopyAsync(BlobInput input, Engine.Transfer.ITransferTracker? tracker, CancellationToken cancellationToken)
    {
        IContentStore? store = input.StoreRoot is { } root ? _stores[root] : null;
        if (_source.IsStore && store is null)
        {
            throw new NotFoundException($"content {input.Digest}: not found (there is no store at {input.StoreRoot})", ErrorIds.BlobNotFound)
            {
                Target = input.Target,
            };
        }

        var request = new BlobCopyRequest
        {
            Blobs = input.Size is { } size
                ? [new Descriptor { MediaType = input.MediaType ?? "application/octet-stream", Digest = input.Digest, Size = size }]
                : null,
            Digests = input.Size is null ? [input.Digest] : null,
            SourceRepository = _source.Repository,
            SourceStore = _source.IsStore ? store : null,
            DestinationRepository = _destination.Repository,
            DestinationStore = _destination.IsStore ? store : null,
            Client = Client,
            MaxConcurrency = 1,
            Tracker = tracker,
        };
        BlobPushResult result = (await BlobCopy.CopyAsync(request, cancellationToken).ConfigureAwait(false)).Single();
        var outcome = result.Outcome switch
        {
            BlobPushOutcome.Existed => BlobCopyOutcome.Existed,
            BlobPushOutcome.Mounted => BlobCopyOutcome.Mounted,
            _ => _destination.IsStore ? BlobCopyOutcome.Fetched : BlobCopyOutcome.Uploaded,
        };
        return new BlobCopyInfo(result, input.MediaType, outcome, _source.ToString(), _destination.ToString(), input.StoreRoot);
    }

    // The error of one blob targets that blob, whatever the engine's exception targets (a host, a repository),
    // and says which blob it is about when its message does not.
    private ClassifiedException OfBlob(ClassifiedException ex, BlobInput input)
    {
        if (Equals(ex.Target, input.Target) && ex.Message.Contains(input.Digest.ToString(), StringComparison.Ordinal))
        {
            return ex;
        }

        string message = ex.Message.Contains(input.Digest.ToString(), StringComparison.Ordinal)
            ? ex.Message
            : $"copy {input.Digest} from {_source} to {_destination}: {ex.Message}";
        return Errors.New(ex.Class, message, ex.ErrorId, ex, input.Target, ex.Details);
    }

    private static string Describe(BlobCopyEndpoint endpoint, string? storeRoot) =>
        endpoint.IsStore ? $"the content store {storeRoot}" : endpoint.ToString();

    private BlobCopyEndpoint ParseEndpointOrThrow(string text)
    {
        try
        {
            return BlobCopyEndpoint.Parse(text);
        }
        catch (ClassifiedException ex)
        {
            ThrowTerminatingError(ex, text);
            throw; // not reached
        }
    }

    private Digest? ParseDigestOrWriteError(string text)
    {
        try
        {
            Digest digest = Engine.Oci.Digest.Parse(text);
            digest.EnsureStorable();
            return digest;
        }
        catch (ClassifiedException ex)
        {
            WriteError(ex, text);
            return null;
        }
    }

    private string ResolveStoreRootOrThrow()
    {
        try
        {
            return StoreRoot.Resolve(SessionState, Store);
        }
        catch (ClassifiedException ex)
        {
            ThrowTerminatingError(ex, Store);
            throw; // not reached
        }
    }

    // A store read from is never created (it has nothing to give); one written to is.
    private IContentStore? OpenStoreOrThrow(string root, bool create)
    {
        if (!create && !Directory.Exists(root))
        {
            return null;
        }

        try
        {
            return LocalContentStore.Open(root);
        }
        catch (Exception ex)
        {
            ThrowTerminatingError(ex, root);
            throw; // not reached
        }
    }

    /// <summary>One blob to copy: what the user gave (the error target), its digest, what else is known of it, and the store root of a store side.</summary>
    private sealed record BlobInput(string Target, Digest Digest, long? Size, string? MediaType, string? StoreRoot);
}
