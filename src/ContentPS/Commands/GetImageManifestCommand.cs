using System.Management.Automation;
using System.Text;
using ContentPS.Completion;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Internal;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Gets the index or manifest a reference names, from the content store when it has the image, else from its registry, as typed objects or as the exact JSON.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ImageManifest")]
[OutputType(typeof(ImageIndexInfo), typeof(ImageManifestInfo), typeof(string))]
public sealed class GetImageManifestCommand : RegistryCmdlet
{
    /// <summary>How deep nested indexes are followed when choosing a platform.</summary>
    private const int MaxIndexDepth = 8;

    private Platform? _platform;
    private IPlatformMatchComparer? _matcher;

    /// <summary>The references to read (<c>registry.example/app:v1</c>, <c>repo@sha256:…</c>), or image record names of the store.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    public string[] Reference { get; set; } = [];

    /// <summary>Chooses the manifest for this platform out of an index (<c>linux/arm64</c>), with the compatible fallbacks containerd accepts.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Platform { get; set; }

    /// <summary>Writes the document exactly as it was stored or served, as one string, instead of objects.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>The content store to look in first; default: <c>$env:CONTENTPS_STORE</c>, else the per-user store.</summary>
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

        if (Platform is not null)
        {
            try
            {
                _platform = Platforms.Parse(Platform);
            }
            catch (ClassifiedException ex)
            {
                // Nothing can be chosen for a platform that does not parse.
                ThrowTerminatingError(ex, Platform);
            }

            _matcher = Platforms.Only(_platform);
        }

        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        StoreImageReader? store = Remote ? null : OpenStore();
        foreach (string text in Reference)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ImageReference? reference = ParseReferenceOrWriteError(text);
            if (reference is null) continue;
            await ForItemAsync(text, () => GetAsync(reference, text, store, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>The store of the current input (-Store may come with each piped object).</summary>
    private StoreImageReader OpenStore() => OpenStoreImageReader(null, Store);

    private async Task GetAsync(ImageReference reference, string text, StoreImageReader? store, CancellationToken cancellationToken)
    {
        StoredImage? stored = store is null ? null : await store.FindAsync(text, reference, cancellationToken).ConfigureAwait(false);
        Document? document = stored is null ? null : await ReadRootFromStoreAsync(store!, stored, text, cancellationToken).ConfigureAwait(false);
        Func<Descriptor, Task<Document>> readEntry;
        if (document is not null)
        {
            WriteVerbose($"{text}: {document.Descriptor.Digest} read from the store {store!.Root}");
            // An image found under a name of its own has no known registry: its entries can come only from the store.
            bool registryFallback = !Local && stored!.RegistryKnown;
            readEntry = entry => ReadEntryFromStoreAsync(store!, reference, entry, registryFallback, text, cancellationToken);
        }
        else if (Local)
        {
            throw NotInStore(reference, store!, text);
        }
        else
        {
            ResolvedImage resolved = await Client.ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
            document = await FetchAsync(reference, resolved.Descriptor, text, cancellationToken).ConfigureAwait(false);
            readEntry = entry => FetchAsync(reference, entry, text, cancellationToken);
        }

        if (_matcher is not null && document.Parsed.Index is { } index)
        {
            document = await ChooseAsync(index, readEntry, 0).ConfigureAwait(false)
                ?? throw NoMatch(reference, index, text);
        }

        if (Raw)
        {
            WriteObject(Encoding.UTF8.GetString(document.Fetched.Body));
        }
        else if (document.Parsed.IsIndex)
        {
            WriteObject(new ImageIndexInfo(reference, document.Fetched, document.Parsed) { Source = document.Source });
        }
        else
        {
            WriteObject(new ImageManifestInfo(reference, document.Fetched, document.Parsed, document.Descriptor.Platform) { Source = document.Source });
        }
    }

    /// <summary>
    /// The image's root document from the store, or null when the store does not hold it. A record whose content is
    /// gone counts as absent, except with -Local or for a record under a name of its own, where it is ManifestNotFound.
    /// </summary>
    private async Task<Document?> ReadRootFromStoreAsync(StoreImageReader store, StoredImage stored, string text, CancellationToken cancellationToken)
    {
        if (await store.TryReadAsync(stored.Root, cancellationToken).ConfigureAwait(false) is { } fetched)
        {
            return Parse(stored.Root, fetched, text, DocumentSource.Store);
        }

        return Local || !stored.RegistryKnown
            ? throw new NotFoundException($"{text}: the store {store.Root} names {stored.Root.Digest} for it but does not hold that content", ErrorIds.ManifestNotFound) { Target = text }
            : null;
    }

    /// <summary>
    /// An entry of an index read from the store: from the store too; when the store lacks it, from the registry if
    /// <paramref name="registryFallback"/>, else ManifestNotFound naming the platform.
    /// </summary>
    private async Task<Document> ReadEntryFromStoreAsync(
        StoreImageReader store, ImageReference reference, Descriptor entry, bool registryFallback, string text, CancellationToken cancellationToken)
    {
        if (await store.TryReadAsync(entry, cancellationToken).ConfigureAwait(false) is { } fetched)
        {
            return Parse(entry, fetched, text, DocumentSource.Store);
        }

        if (registryFallback)
        {
            return await FetchAsync(reference, entry, text, cancellationToken).ConfigureAwait(false);
        }

        string platform = entry.Platform is { } own ? Platforms.FormatAll(own) : "a nested index";
        string why = Local ? "without -Local it is read from the registry" : $"the store names this image {text}, not by a registry reference, so no registry is asked";
        throw new NotFoundException(
            $"{text}: the store {store.Root} does not hold the manifest for {Platforms.FormatAll(_platform!)} ({platform}, {entry.Digest}); {why}",
            ErrorIds.ManifestNotFound) { Target = text };
    }

    private async Task<Document> FetchAsync(ImageReference reference, Descriptor descriptor, string text, CancellationToken cancellationToken)
    {
        FetchedManifest fetched = await Client.FetchManifestAsync(reference, descriptor, cancellationToken).ConfigureAwait(false);
        return Parse(descriptor, fetched, text, DocumentSource.Registry);
    }

    private static Document Parse(Descriptor descriptor, FetchedManifest fetched, string text, string source) =>
        new(descriptor, fetched, ManifestParser.Parse(fetched.Body, fetched.Descriptor.MediaType, text), source);

    /// <summary>The best manifest of <paramref name="index"/> for the platform (following nested indexes), or null when none matches.</summary>
    private async Task<Document?> ChooseAsync(ImageIndex index, Func<Descriptor, Task<Document>> readEntry, int depth)
    {
        foreach (Descriptor candidate in IndexPlatformChoice.Candidates(index, _matcher!))
        {
            Document document = await readEntry(candidate).ConfigureAwait(false);
            if (document.Parsed.Index is not { } nested)
            {
                return document;
            }

            if (depth + 1 < MaxIndexDepth && await ChooseAsync(nested, readEntry, depth + 1).ConfigureAwait(false) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static NotFoundException NotInStore(ImageReference reference, StoreImageReader store, string text)
    {
        string why = !store.Exists ? $"there is no store at {store.Root}"
            : reference.Digest is { } digest ? $"the store {store.Root} has no content {digest}"
            : $"the store {store.Root} has no image record named {text}" + (text == reference.ToString() ? "" : $" or {reference}");
        return new NotFoundException($"{text}: not found locally ({why}); -Local reads only the store", ErrorIds.ImageNotFound) { Target = text };
    }

    private NotFoundException NoMatch(ImageReference reference, ImageIndex index, string text)
    {
        IReadOnlyList<string> offered = IndexPlatformChoice.Platforms(index);
        string has = offered.Count == 0 ? "it lists no platforms" : $"it has {string.Join(", ", offered)}";
        return new NotFoundException(
            $"{reference}: no manifest for platform {Platforms.FormatAll(_platform!)} in the index ({has})",
            ErrorIds.PlatformNotFound) { Target = text };
    }

    /// <summary>An index or manifest with the descriptor it was asked by (an index entry carries the platform) and where it was read.</summary>
    private sealed record Document(Descriptor Descriptor, FetchedManifest Fetched, ParsedManifest Parsed, string Source);
}
