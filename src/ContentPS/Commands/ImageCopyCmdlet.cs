using System.Collections.Concurrent;
using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Transfer;
using ContentPS.Engine.Transfer.Copy;
using ContentPS.Internal;

namespace ContentPS.Commands;

/// <summary>
/// What <c>Copy-Image</c> and <c>Publish-Image</c> share: the platform, tag, force, store and throttle
/// parameters, checked once before any input, and one copy of one image — ShouldProcess, progress while
/// it runs, a warning when a platform subset rewrote the index, and a <see cref="CopySummary"/>.
/// </summary>
public abstract class ImageCopyCmdlet : RegistryCmdlet
{
    private readonly ConcurrentDictionary<string, Lazy<IContentStore>> _stores = new(StringComparer.Ordinal);

    /// <summary>The platforms to copy (<c>linux/arm64</c>); default: all of them.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Platform { get; set; }

    /// <summary>Copies every platform, the index as it is (the default; says so explicitly).</summary>
    [Parameter]
    public SwitchParameter AllPlatforms { get; set; }

    /// <summary>With one <c>-Platform</c>: writes that platform's manifest as the image itself instead of an index of one entry.</summary>
    [Parameter]
    public SwitchParameter PlatformAsManifest { get; set; }

    /// <summary>More tags for the destination image, written after its own.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Tag { get; set; }

    /// <summary>Moves a destination tag (or replaces a store record) that names another digest.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The store root for <c>store:</c> locations; default: <c>$env:CONTENTPS_STORE</c>, else the per-user store.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    /// <summary>Requests (existence checks, blob and manifest pushes) running at once.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = CopyRequest.DefaultMaxConcurrency;

    /// <summary>The platforms asked for, parsed; null: all.</summary>
    private protected IReadOnlyList<Platform>? ChosenPlatforms { get; private set; }

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        ChosenPlatforms = ParsePlatformSelection(Platform, AllPlatforms);

        if (PlatformAsManifest && ChosenPlatforms is not { Count: 1 })
        {
            ThrowTerminatingError(new InvalidArgumentException(
                "-PlatformAsManifest copies one platform's manifest: give exactly one -Platform", ErrorIds.InvalidArgument), Platform);
        }

        return Task.CompletedTask;
    }

    /// <summary>The -Store root (or <paramref name="root"/> when an input carries its own); an unusable path ends the call.</summary>
    private protected string ResolveStoreRoot(string? root = null)
    {
        try
        {
            return root ?? StoreRoot.Resolve(SessionState, Store);
        }
        catch (ClassifiedException ex)
        {
            ThrowTerminatingError(ex, Store);
            throw; // not reached
        }
    }

    /// <summary>
    /// An image record of the store at <paramref name="root"/>. As a source the store must exist (none is
    /// created to find nothing in it: <c>ImageNotFound</c>); as a destination it is created when missing.
    /// An invalid name is <c>InvalidImageName</c>; a store that cannot be opened ends the call.
    /// </summary>
    private protected StoreImageLocation StoreLocation(string root, string name, bool asSource)
    {
        ImageName.Validate(name);
        if (asSource && !_stores.ContainsKey(root) && !Directory.Exists(root))
        {
            throw new NotFoundException($"image \"{name}\": not found (there is no store at {root})", ErrorIds.ImageNotFound) { Target = name };
        }

        try
        {
            return ImageLocation.InStore(_stores.GetOrAdd(root, path => new Lazy<IContentStore>(() => LocalContentStore.Open(path))).Value, name);
        }
        catch (ClassifiedException ex) when (ex.ErrorId != ErrorIds.InvalidImageName)
        {
            ThrowTerminatingError(ex, root);
            throw; // not reached
        }
    }

    /// <summary>
    /// Copies one image after ShouldProcess (<paramref name="action"/> names the verb, <paramref name="from"/>
    /// and <paramref name="to"/> the locations), with progress, a warning when the index was rewritten, and
    /// the summary on the pipeline. <paramref name="copy"/> opens what it writes to itself, so -WhatIf creates nothing.
    /// </summary>
    private protected async Task CopyOneAsync(string action, string from, string to,
        Func<ITransferTracker?, CancellationToken, Task<CopySummary>> copy, CancellationToken cancellationToken)
    {
        if (!ShouldProcess(to, $"{action} {from} ({DescribePlatforms()}) to {to}"))
        {
            return;
        }

        CopySummary summary;
        await using (var progress = new PullProgress(StartProgress($"{action} {from} to {to}", "Reading the source"), "Copying"))
        {
            summary = await copy(progress.Tracker, cancellationToken).ConfigureAwait(false);
        }

        if (summary.IndexRewritten)
        {
            WriteWarning($"{summary.Destination}: only {string.Join(", ", summary.Platforms)} of {summary.Source} were copied, as a new index with only those entries: its digest is {summary.Digest}, not the source's {summary.SourceDigest}.");
        }

        WriteVerbose($"{action} {summary.Source} to {summary.Destination} ({summary.Digest}): {summary.BlobsCopied} blobs copied, {summary.BlobsMounted} mounted, {summary.BlobsExisted} existed, {summary.ManifestsPushed} manifests pushed, {summary.Referrers.Length} referrers, {summary.BytesCopied} bytes.");
        WriteObject(summary);
    }

    /// <summary>A location as ShouldProcess and progress show it.</summary>
    private protected static string Describe(ImageLocation location) =>
        location is StoreImageLocation store ? DescribeStore(store.Store.Root, store.Name) : location.ToString();

    private protected static string DescribeStore(string root, string name) => $"{StoreLocationSyntax.Format(name)} (store {root})";

    /// <summary>The request's common part; the caller sets the locations and clients.</summary>
    private protected CopyRequest NewRequest(ImageLocation source, ImageLocation destination, ITransferTracker? tracker) => new()
    {
        Source = source,
        Destination = destination,
        Platforms = ChosenPlatforms,
        PlatformAsManifest = PlatformAsManifest,
        Force = Force,
        ExtraTags = Tag,
        MaxConcurrency = ThrottleLimit,
        Tracker = tracker,
    };

    private string DescribePlatforms() => ChosenPlatforms is null
        ? "all platforms"
        : string.Join(", ", ChosenPlatforms.Select(Engine.Oci.Platforms.Format)) + (PlatformAsManifest ? " as a plain manifest" : "");
}
