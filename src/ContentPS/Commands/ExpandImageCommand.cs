using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Transfer;
using ContentPS.Engine.Unpack;
using ContentPS.Internal;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Writes the root file system of an image for one platform into a directory: its layers applied in order, whiteouts, links and modes included.</para>
/// </summary>
/// <remarks>
/// <c>Name</c> is the default parameter set, so a plain string (by position or by the pipeline) is a record name;
/// <c>-Reference</c> asks a registry. Everything that can fail without writing (the target not empty, the record,
/// the platform of a stored image) is checked before <c>ShouldProcess</c>, so <c>-WhatIf</c> says what would fail.
/// </remarks>
[Cmdlet(VerbsData.Expand, "Image", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ExpandSummary))]
public sealed class ExpandImageCommand : RegistryCmdlet
{
    private const string NameSet = "Name";
    private const string ReferenceSet = "Reference";

    private Platform? _platform;

    /// <summary>The image record to expand (as <c>Get-Image</c> lists it); nothing is downloaded.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The image on its registry (<c>registry.example/app:v1</c>); what the store lacks for the platform is pulled first.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ReferenceSet)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Reference { get; set; } = "";

    /// <summary>The directory to write the root file system into; relative to the current location.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The platform to expand (<c>linux/arm64</c>); default: this machine's.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Platform { get; set; }

    /// <summary>Wildcard paths inside the image (<c>/etc/ssl/**</c>, <c>usr/bin/tool</c>): only matching entries are written.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Include { get; set; }

    /// <summary>Writes into a directory that is not empty; the layers are applied over what is there.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Sets owners and creates device nodes as the layers say (needs root); otherwise those are skipped and counted.</summary>
    [Parameter]
    public SwitchParameter PreserveOwnership { get; set; }

    /// <summary>The store root; default: <c>$env:CONTENTPS_STORE</c>, else the per-user store.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        try
        {
            _platform = Platform is null ? Engine.Oci.Platforms.Default() : Engine.Oci.Platforms.Parse(Platform);
        }
        catch (ClassifiedException ex)
        {
            ThrowTerminatingError(ex, Platform);
        }

        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        string storeRoot;
        string target;
        try
        {
            storeRoot = StoreRoot.Resolve(SessionState, Store);
            target = FileSystemPaths.ResolveTarget(SessionState, Path);
        }
        catch (ClassifiedException ex)
        {
            ThrowTerminatingError(ex, ex.Target);
            throw; // not reached
        }

        string subject = ParameterSetName == ReferenceSet ? Reference : Name;
        await ForItemAsync(subject, async () =>
        {
            ExpandTarget.EnsureUsable(target, Force);
            if (ParameterSetName == ReferenceSet)
            {
                await ExpandReferenceAsync(storeRoot, target, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ExpandRecordAsync(storeRoot, target, cancellationToken).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    private async Task ExpandRecordAsync(string storeRoot, string target, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(storeRoot) && !File.Exists(storeRoot))
        {
            throw new NotFoundException($"image \"{Name}\" not found (there is no store at {storeRoot})", ErrorIds.ImageNotFound) { Target = Name };
        }

        IContentStore store = LocalContentStore.Open(storeRoot);
        ImageRecord record = await new ImageRecordStore(store.Root).GetAsync(Name, cancellationToken).ConfigureAwait(false);
        ChosenManifest chosen = await StoredManifestChoice.ChooseAsync(store, record.Target, _platform!, Name, cancellationToken).ConfigureAwait(false);
        if (ShouldProcess(target, $"Expand {Name} ({Describe(chosen)}) into {target}{(Force ? ", over what is there" : "")}"))
        {
            await UnpackAsync(store, Name, null, chosen, target, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ExpandReferenceAsync(string storeRoot, string target, CancellationToken cancellationToken)
    {
        ImageReference reference = ImageReference.Parse(Reference).WithDefaultTag();
        string platform = Engine.Oci.Platforms.Format(_platform!);
        if (!ShouldProcess(target, $"Pull what the store lacks of {reference} for {platform}, then expand it into {target}{(Force ? ", over what is there" : "")}"))
        {
            return;
        }

        IContentStore store = LocalContentStore.Open(storeRoot);
        PullResult pulled;
        await using (var progress = new PullProgress(StartProgress($"Saving {reference} for {platform}", "Resolving")))
        {
            pulled = await ImagePull.PullAsync(new PullRequest
            {
                Reference = reference,
                Store = store,
                Client = Client,
                Platforms = [_platform!],
                Tracker = progress.Tracker,
            }, cancellationToken).ConfigureAwait(false);
        }

        WriteVerbose($"Saved {pulled.Name} ({pulled.Root.Digest}): {pulled.BlobsFetched} blobs fetched, {pulled.BlobsPresent} present.");
        ChosenManifest chosen = await StoredManifestChoice.ChooseAsync(store, pulled.Root, _platform!, Reference, cancellationToken).ConfigureAwait(false);
        await UnpackAsync(store, pulled.Name, reference.ToString(), chosen, target, cancellationToken).ConfigureAwait(false);
    }

    private async Task UnpackAsync(IContentStore store, string name, string? reference, ChosenManifest chosen, string target,
        CancellationToken cancellationToken)
    {
        UnpackResult result;
        using (var progress = new UnpackProgressView(StartProgress($"Expanding {name} ({Describe(chosen)}) into {target}", "Starting")))
        {
            result = await ImageUnpack.UnpackAsync(new UnpackRequest(store, chosen.Manifest, target)
            {
                Include = Include ?? [],
                PreserveOwnership = PreserveOwnership,
                Progress = progress.Sink,
            }, cancellationToken).ConfigureAwait(false);
        }

        if (result.SkippedEntries > 0)
        {
            string why = result.SkippedReasons.Count > 0 ? ": " + string.Join("; ", result.SkippedReasons) : "";
            WriteWarning($"{name}: {result.SkippedEntries} entries were not written{why}");
        }

        WriteVerbose($"Expanded {name} ({chosen.Manifest.Digest}): {result.Layers} layers, {result.Files} entries, {result.Bytes} bytes into {target}.");
        WriteObject(new ExpandSummary(name, reference, chosen.Manifest, chosen.Platform, target, result, store.Root));
    }

    private static string Describe(ChosenManifest chosen) =>
        (chosen.Platform is { } platform ? Engine.Oci.Platforms.Format(platform) + ", " : "")
        + $"{chosen.Layers} layer{(chosen.Layers == 1 ? "" : "s")}, manifest {DisplayDigest(chosen.Manifest.Digest)}";

    private static string DisplayDigest(Digest digest) => Formatting.DisplayText.Digest(digest.ToString());
}
