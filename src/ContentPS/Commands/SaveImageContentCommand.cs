using System.Collections.Concurrent;
using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Transfer;
using ContentPS.Internal;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Pulls images from their registries into the content store: the index or manifest, the configs, and the layers of the chosen platforms, then an image record.</para>
/// </summary>
/// <remarks>
/// <c>InputObject</c> is the default parameter set because PowerShell binds pipeline input to the default set
/// whenever it can: were it <c>Reference</c>, a document from <c>Get-ImageManifest</c> would bind its
/// <c>Reference</c> property and be resolved again. So strings and objects with a <c>Reference</c> property
/// that arrive by the pipeline are taken as references there.
/// Input is collected first and pulled in <see cref="EndProcessingAsync"/>, several images at once, so
/// <c>'a','b' | Save-ImageContent</c> pulls in parallel and <c>-Name</c> can refuse a second image before
/// anything is written.
/// </remarks>
[Cmdlet(VerbsData.Save, "ImageContent", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(PullSummary), typeof(ImageInfo))]
public sealed class SaveImageContentCommand : RegistryCmdlet
{
    private const string ReferenceSet = "Reference";
    private const string InputObjectSet = "InputObject";

    private readonly List<PullInput> _inputs = [];
    private readonly ConcurrentDictionary<string, Lazy<IContentStore>> _stores = new(StringComparer.Ordinal);
    private IReadOnlyList<Platform>? _platforms;

    /// <summary>The images to pull (<c>registry.example/app:v1</c>, <c>repo@sha256:…</c>).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ReferenceSet)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Reference { get; set; } = [];

    /// <summary>An index, manifest or descriptor written by <c>Get-ImageManifest</c> or <c>Get-ImageReferrer</c> (pulled by its digest, without resolving its reference again), a reference string, or an object with a <c>Reference</c> property.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public object[] InputObject { get; set; } = [];

    /// <summary>The platforms whose layers are saved (<c>linux/arm64</c>); default: this machine's.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Platform { get; set; }

    /// <summary>Saves the layers of every platform, and the attestations.</summary>
    [Parameter]
    public SwitchParameter AllPlatforms { get; set; }

    /// <summary>Saves attestation manifests (<c>unknown/unknown</c> entries) and their blobs too.</summary>
    [Parameter]
    public SwitchParameter IncludeAttestations { get; set; }

    /// <summary>Saves non-distributable (foreign) layers too, from the registry or the URLs their descriptors list.</summary>
    [Parameter]
    public SwitchParameter IncludeNonDistributable { get; set; }

    /// <summary>The name of the image record to write instead of the reference; only with one image.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The store root; default: <c>$env:CONTENTPS_STORE</c>, else the per-user store.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    /// <summary>Blobs downloaded at once, across every image of the call (images are pulled in parallel too).</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = PullRequest.DefaultMaxConcurrency;

    /// <summary>Writes the image record written (<c>ContentPS.ImageInfo</c>) instead of the summary.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override bool AllowForeignUrls => IncludeNonDistributable;

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        if (Name is not null)
        {
            try
            {
                ImageName.Validate(Name);
            }
            catch (ClassifiedException ex)
            {
                ThrowTerminatingError(ex, Name);
            }
        }

        _platforms = ParsePlatformSelection(Platform, AllPlatforms);

        return Task.CompletedTask;
    }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        string storeRoot = ResolveStoreRootOrThrow();
        if (ParameterSetName == InputObjectSet)
        {
            foreach (object item in InputObject)
            {
                AddInput(item, storeRoot);
            }
        }
        else
        {
            foreach (string text in Reference)
            {
                AddReference(text, storeRoot);
            }
        }

        return Task.CompletedTask;
    }

    protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
    {
        if (Name is not null && _inputs.Count > 1)
        {
            ThrowTerminatingError(new InvalidArgumentException(
                $"-Name {Name} names one image record, but {_inputs.Count} images came in: pull them one at a time, or without -Name",
                ErrorIds.InvalidArgument), Name);
        }

        // ThrottleLimit bounds the blobs of the whole call: images share it.
        int imagesAtOnce = Math.Max(1, Math.Min(_inputs.Count, ThrottleLimit));
        int blobsPerImage = Math.Max(1, ThrottleLimit / imagesAtOnce);
        await Parallel.ForEachAsync(_inputs, new ParallelOptions { MaxDegreeOfParallelism = imagesAtOnce, CancellationToken = cancellationToken },
            (input, token) => new ValueTask(ForItemAsync(input.Target, () => PullAsync(input, blobsPerImage, token)))).ConfigureAwait(false);
    }

    private async Task PullAsync(PullInput input, int maxConcurrency, CancellationToken cancellationToken)
    {
        string what = input.Root is { } root ? $"{input.Reference.FullName}@{root.Digest}" : input.Reference.ToString();
        if (!ShouldProcess(input.Target, $"Save {what} to the content store {input.StoreRoot}"))
        {
            return;
        }

        IContentStore store = OpenStore(input.StoreRoot);
        PullResult result;
        await using (var progress = new PullProgress(StartProgress($"Saving {what}", "Resolving")))
        {
            result = await PullWithContextAsync(what, new PullRequest
            {
                Reference = input.Reference,
                Root = input.Root,
                Store = store,
                Client = Client,
                Platforms = _platforms,
                AllPlatforms = AllPlatforms,
                IncludeAttestations = IncludeAttestations,
                IncludeNonDistributable = IncludeNonDistributable,
                Name = Name,
                MaxConcurrency = maxConcurrency,
                Tracker = progress.Tracker,
            }, cancellationToken).ConfigureAwait(false);
        }

        WriteVerbose($"Saved {result.Name} ({result.Root.Digest}): {result.BlobsFetched} blobs fetched, {result.BlobsResumed} resumed, {result.BlobsPresent} present, {result.BytesFetched} bytes.");
        if (PassThru)
        {
            ImageRecord record = await new ImageRecordStore(store.Root).GetAsync(result.Name, cancellationToken).ConfigureAwait(false);
            WriteObject(new ImageInfo(record, store.Root));
        }
        else
        {
            WriteObject(new PullSummary(result, store.Root));
        }
    }

    /// <summary>Pulls; a failure that does not say which image it is about says so (several are pulled at once).</summary>
    private static async Task<PullResult> PullWithContextAsync(string what, PullRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await ImagePull.PullAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ClassifiedException ex) when (ex.Class != ErrorClass.Canceled && !ex.Message.Contains(request.Reference.FullName, StringComparison.Ordinal))
        {
            throw Errors.Wrap(ex, $"saving {what}");
        }
    }

    private void AddReference(string text, string storeRoot)
    {
        if (ParseReferenceOrWriteError(text) is { } reference)
        {
            _inputs.Add(new PullInput(text, reference, null, storeRoot));
        }
    }

    /// <summary>Strings and objects with a <c>Reference</c> are references; documents and descriptors are pulled by the digest they carry.</summary>
    private void AddInput(object item, string storeRoot)
    {
        var wrapped = PSObject.AsPSObject(item);
        object value = wrapped.BaseObject;
        try
        {
            switch (value)
            {
                case ImageDocumentInfo document:
                    _inputs.Add(FromDocument(document, storeRoot));
                    break;
                case DescriptorInfo descriptor:
                    _inputs.Add(FromDescriptor(descriptor, storeRoot));
                    break;
                case string text:
                    AddReference(text, storeRoot);
                    break;
                default:
                    AddReference(wrapped.Properties["Reference"]?.Value as string ?? throw new InvalidArgumentException(
                        $"Save-ImageContent takes references, or what Get-ImageManifest and Get-ImageReferrer write, not a {value.GetType().FullName} without a Reference",
                        ErrorIds.InvalidArgument), storeRoot);
                    break;
            }
        }
        catch (ClassifiedException ex)
        {
            WriteError(ex, value);
        }
    }

    // A document was read for its reference: saved under that name unless -Platform chose it out of an
    // index, then under its digest (the tag names the index, not this manifest).
    private static PullInput FromDocument(ImageDocumentInfo document, string storeRoot)
    {
        ImageReference read = ImageReference.Parse(document.Reference);
        Platform? platform = (document as ImageManifestInfo)?.Platform?.Value;
        ImageReference reference = platform is null ? read : ImageReference.Parse($"{read.FullName}@{document.Digest}");
        var root = new Descriptor { MediaType = document.MediaType, Digest = Digest.Parse(document.Digest), Size = document.Size, Platform = platform };
        return new PullInput(document.Reference, reference, root, storeRoot);
    }

    private static PullInput FromDescriptor(DescriptorInfo descriptor, string storeRoot)
    {
        if (!MediaTypes.IsIndex(descriptor.MediaType) && !MediaTypes.IsManifest(descriptor.MediaType))
        {
            throw new InvalidArgumentException(
                $"{descriptor.Reference} is a {descriptor.MediaType}, not an image (manifest or index): Save-ImageContent saves images",
                ErrorIds.InvalidMediaType) { Target = descriptor.Reference };
        }

        return new PullInput(descriptor.Reference, ImageReference.Parse(descriptor.Reference), descriptor.Value, storeRoot);
    }

    /// <summary>The store at <paramref name="root"/>, opened once per call; one that cannot be used ends the call.</summary>
    private IContentStore OpenStore(string root)
    {
        try
        {
            return _stores.GetOrAdd(root, path => new Lazy<IContentStore>(() => LocalContentStore.Open(path))).Value;
        }
        catch (ClassifiedException ex)
        {
            ThrowTerminatingError(ex, root);
            throw; // not reached
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

    /// <summary>One image to pull: what the user gave (the error target), the reference, the root when already known, and the store.</summary>
    private sealed record PullInput(string Target, ImageReference Reference, Descriptor? Root, string StoreRoot);
}
