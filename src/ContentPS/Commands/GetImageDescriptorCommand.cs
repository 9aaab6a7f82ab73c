using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Graph;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Internal;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Streams the descriptors of an image graph as it is walked: the index, manifests, configs and layers a pull of the same platforms visits, each with its kind, depth, parent and platform.</para>
/// </summary>
/// <remarks>
/// The walk is <see cref="ImageGraph.WalkAsync"/>: depth-first pre-order, one node written at a time, and the next
/// node is not read before the pipeline has taken the last one, so <c>Select-Object -First</c> stops it there.
/// <c>InputObject</c> is the default parameter set for the reason <c>Save-ImageContent</c> gives.
/// </remarks>
[Cmdlet(VerbsCommon.Get, "ImageDescriptor", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(ImageDescriptorInfo))]
public sealed class GetImageDescriptorCommand : RegistryCmdlet
{
    private const string ReferenceSet = "Reference";
    private const string InputObjectSet = "InputObject";

    private IReadOnlyList<Platform>? _platforms;
    private MediaTypeFilter? _mediaTypes;

    /// <summary>The images to walk (<c>registry.example/app:v1</c>, <c>repo@sha256:…</c>), or image record names of the store.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ReferenceSet)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Reference { get; set; } = [];

    /// <summary>What to walk from: a node written by <c>Get-ImageDescriptor</c>, a document or descriptor from <c>Get-ImageManifest</c> or <c>Get-ImageReferrer</c> (by its digest), a reference string, or an object with a <c>Reference</c> or <c>Name</c> property.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public object[] InputObject { get; set; } = [];

    /// <summary>Walks the whole graph below the image; without it (and without -Depth) only the image's own descriptor is written.</summary>
    [Parameter]
    public SwitchParameter Recurse { get; set; }

    /// <summary>Walks this many levels below the image (0: the image alone, 1: its manifests or its config and layers, …); implies -Recurse.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Depth { get; set; }

    /// <summary>The platforms whose layers are walked (<c>linux/arm64</c>), as Save-ImageContent saves them; default: this machine's.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Platform { get; set; }

    /// <summary>Walks the layers of every platform, and the attestations.</summary>
    [Parameter]
    public SwitchParameter AllPlatforms { get; set; }

    /// <summary>Writes only descriptors whose media type matches one of these (wildcards; full types, short names such as <c>layer.gzip</c>, or <c>index</c>, <c>manifest</c>, <c>config</c>, <c>layer</c>).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(MediaTypeFilterCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? MediaType { get; set; }

    /// <summary>The content store to read first; default: <c>$env:CONTENTPS_STORE</c>, else the per-user store.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    /// <summary>Reads only the content store: never the network; an image the store does not have is an error.</summary>
    [Parameter]
    public SwitchParameter Local { get; set; }

    /// <summary>Reads only the registry, even when the store has the image.</summary>
    [Parameter]
    public SwitchParameter Remote { get; set; }

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        RejectLocalWithRemote(Local, Remote);

        _platforms = ParsePlatformSelection(Platform, AllPlatforms);
        _mediaTypes = MediaType is { Length: > 0 } patterns ? new MediaTypeFilter(patterns) : null;
        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        IEnumerable<WalkInput?> inputs = ParameterSetName == InputObjectSet
            ? InputObject.Select(ToInput)
            : Reference.Select(text => ParseReferenceOrWriteError(text) is { } reference ? new WalkInput(text, reference, null, StoreOnly: false) : null);
        foreach (WalkInput? input in inputs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (input is not null)
            {
                StoreImageReader? store = Remote ? null : OpenStore(input.StoreRoot);
                await ForItemAsync(input.Target, () => WalkAsync(input, store, cancellationToken)).ConfigureAwait(false);
            }
        }
    }

    private async Task WalkAsync(WalkInput input, StoreImageReader? store, CancellationToken cancellationToken)
    {
        Walk walk = await LocateAsync(input, store, cancellationToken).ConfigureAwait(false);
        var options = new GraphWalkOptions
        {
            Platforms = _platforms,
            AllPlatforms = AllPlatforms,
            MaxDepth = Depth ?? (Recurse ? null : 0),
        };
        WriteVerbose($"{input.Target}: walking {walk.Root.Digest} from {(walk.StoreRoot is null ? "the registry" : $"the store {walk.StoreRoot}")}");
        try
        {
            await foreach (WalkedNode node in ImageGraph.WalkAsync(walk.Root, walk.Source, options, cancellationToken).ConfigureAwait(false))
            {
                if (_mediaTypes?.Matches(node.Node.Descriptor.MediaType) == false)
                {
                    continue;
                }

                WriteObjectAndWait(ImageDescriptorInfo.From(node.Node, walk.Image, walk.Repository, walk.StoreRoot, node.Document), cancellationToken);
            }
        }
        catch (ClassifiedException ex) when (ex.Class != ErrorClass.Canceled)
        {
            // What failed is the walk of this input, whichever document of it failed: the message names both.
            string message = ex.Message.Contains(walk.Image, StringComparison.Ordinal) ? ex.Message : $"{walk.Image}: {ex.Message}";
            throw Errors.New(ex.Class, message, ex.ErrorId, ex, input.Target, ex.Details);
        }
    }

    /// <summary>Where to walk <paramref name="input"/> from: the store when it has the image (and not -Remote), else the registry.</summary>
    private async Task<Walk> LocateAsync(WalkInput input, StoreImageReader? store, CancellationToken cancellationToken)
    {
        ImageReference reference = input.Reference;
        if (input.Root is { } blob && !MediaTypes.IsIndex(blob.MediaType) && !MediaTypes.IsManifest(blob.MediaType))
        {
            // A piped config or layer has no children, so the walk reads nothing: not even whether the store has it.
            return new Walk(blob, new RegistryManifestSource(Client, reference), input.Target, input.StoreOnly ? null : reference, input.StoreRoot);
        }

        if (store is not null && await FindInStoreAsync(input, store, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            bool registryKnown = stored.RegistryKnown && !input.StoreOnly;
            IManifestSource source = registryKnown && !Local
                ? new StoreFirstManifestSource(store.Manifests!, new RegistryManifestSource(Client, reference))
                : store.Manifests!;

            string image = registryKnown ? reference.ToString() : input.Target;
            return new Walk(await WithMediaTypeAsync(stored.Root, store, cancellationToken).ConfigureAwait(false), source, image, registryKnown ? reference : null, store.Root);
        }

        if (Local || input.StoreOnly)
        {
            throw NotInStore(input, store);
        }

        Descriptor root = input.Root ?? (await Client.ResolveAsync(reference, cancellationToken).ConfigureAwait(false)).Descriptor;
        return new Walk(root, new RegistryManifestSource(Client, reference), reference.ToString(), reference, null);
    }

    private static async Task<StoredImage?> FindInStoreAsync(WalkInput input, StoreImageReader store, CancellationToken cancellationToken)
    {
        if (input.Root is not { } root)
        {
            return await store.FindAsync(input.Target, input.Reference, cancellationToken).ConfigureAwait(false);
        }

        return await store.TryReadAsync(root, cancellationToken).ConfigureAwait(false) is null ? null : new StoredImage(root, RegistryKnown: true);
    }

    /// <summary>A root found in the store by digest alone has no media type yet: its body says what it is.</summary>
    private static async Task<Descriptor> WithMediaTypeAsync(Descriptor root, StoreImageReader store, CancellationToken cancellationToken)
    {
        if (root.MediaType.Length > 0)
        {
            return root;
        }

        FetchedManifest? body = await store.TryReadAsync(root, cancellationToken).ConfigureAwait(false);
        string mediaType = body is null ? "" : ManifestParser.DetectMediaType(body.Body) ?? "";
        return new Descriptor
        {
            MediaType = mediaType.Length > 0 ? mediaType : "application/octet-stream",
            Digest = root.Digest,
            Size = root.Size,
            Platform = root.Platform,
            Annotations = root.Annotations,
        };
    }

    /// <summary>A piped object as something to walk, or null after writing why it is not one.</summary>
    private WalkInput? ToInput(object item)
    {
        var wrapped = PSObject.AsPSObject(item);
        object value = wrapped.BaseObject;
        try
        {
            switch (value)
            {
                case ImageDescriptorInfo node:
                    // A node read from a store is walked from that store unless -Store says otherwise.
                    return new WalkInput(node.Reference, ImageReference.Parse(node.Reference), node.Value, StoreOnly: node.Repository is null)
                    {
                        StoreRoot = Store is null ? node.StoreRoot : null,
                    };
                case DescriptorInfo descriptor:
                    return new WalkInput(descriptor.Reference, ImageReference.Parse(descriptor.Reference), descriptor.Value, StoreOnly: false);
                case ImageDocumentInfo document:
                    ImageReference read = ImageReference.Parse(document.Reference);
                    var root = new Descriptor
                    {
                        MediaType = document.MediaType,
                        Digest = Engine.Oci.Digest.Parse(document.Digest),
                        Size = document.Size,
                        Platform = (document as ImageManifestInfo)?.Platform?.Value,
                    };
                    return new WalkInput(document.Reference, read, root, StoreOnly: false);
                case string text:
                    return ParseReferenceOrWriteError(text) is { } reference ? new WalkInput(text, reference, null, StoreOnly: false) : null;
                default:
                    string named = (wrapped.Properties["Reference"]?.Value ?? wrapped.Properties["Name"]?.Value) as string
                        ?? throw new InvalidArgumentException(
                            $"Get-ImageDescriptor takes references, or what Get-ImageDescriptor, Get-ImageManifest and Get-ImageReferrer write, not a {value.GetType().FullName} without a Reference or Name",
                            ErrorIds.InvalidArgument);
                    return ParseReferenceOrWriteError(named) is { } fromProperty ? new WalkInput(named, fromProperty, null, StoreOnly: false) : null;
            }
        }
        catch (ClassifiedException ex)
        {
            WriteError(ex, value);
            return null;
        }
    }

    /// <summary>
    /// The store at <paramref name="root"/>, else the one of the current input (-Store may come with each piped object),
    /// opened once per root; a terminating error when it is unusable.
    private StoreImageReader OpenStore(string? root) => OpenStoreImageReader(root, Store);

    private NotFoundException NotInStore(WalkInput input, StoreImageReader? store)
    {
        string why = store is null ? "-Remote reads no store, and only the store knows this image"
            : !store.Exists ? $"there is no store at {store.Root}"
            : input.Root is { } root ? $"the store {store.Root} has no content {root.Digest}"
            : input.Reference.Digest is { } digest ? $"the store {store.Root} has no content {digest}"
            : $"the store {store.Root} has no image record named {input.Target}";
        string how = Local ? "-Local reads only the store" : "its registry is not known, so only the store is read";
        return new NotFoundException($"{input.Target}: not found locally ({why}); {how}", ErrorIds.ImageNotFound) { Target = input.Target };
    }

    /// <summary>One image to walk: what the user gave (the error target), its reference, its root when already known, and whether only the store may be read.</summary>
    private sealed record WalkInput(string Target, ImageReference Reference, Descriptor? Root, bool StoreOnly)
    {
        /// <summary>The store to read instead of -Store's (a piped node's own), or null.</summary>
        public string? StoreRoot { get; init; }
    }

    /// <summary>A walk ready to start: its root, where bodies are read, the image it is of, its repository (null: only the store knows it) and the store root it reads (null: the registry only).</summary>
    private sealed record Walk(Descriptor Root, IManifestSource Source, string Image, ImageReference? Repository, string? StoreRoot);
}
