using System.Management.Automation;
using System.Text;
using ContentPS.Completion;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Internal;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Gets the index or manifest a reference names from its registry, as typed objects or as the exact JSON.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ImageManifest")]
[OutputType(typeof(ImageIndexInfo), typeof(ImageManifestInfo), typeof(string))]
public sealed class GetImageManifestCommand : RegistryCmdlet
{
    /// <summary>How deep nested indexes are followed when choosing a platform.</summary>
    private const int MaxIndexDepth = 8;

    private Platform? _platform;
    private IPlatformMatchComparer? _matcher;

    /// <summary>The references to read (<c>registry.example/app:v1</c>, <c>repo@sha256:…</c>).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    public string[] Reference { get; set; } = [];

    /// <summary>Chooses the manifest for this platform out of an index (<c>linux/arm64</c>), with the compatible fallbacks containerd accepts.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Platform { get; set; }

    /// <summary>Writes the document as the registry served it, as one string, instead of objects.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
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
        foreach (string text in Reference)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ImageReference? reference = ParseReferenceOrWriteError(text);
            if (reference is null) continue;
            await ForItemAsync(text, () => GetAsync(reference, text, cancellationToken)).ConfigureAwait(false);
        }
    }

    private async Task GetAsync(ImageReference reference, string text, CancellationToken cancellationToken)
    {
        ResolvedImage resolved = await Client.ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
        Document document = await FetchAsync(reference, resolved.Descriptor, text, cancellationToken).ConfigureAwait(false);
        if (_matcher is not null && document.Parsed.Index is { } index)
        {
            document = await ChooseAsync(reference, index, text, 0, cancellationToken).ConfigureAwait(false)
                ?? throw NoMatch(reference, index, text);
        }

        if (Raw)
        {
            WriteObject(Encoding.UTF8.GetString(document.Fetched.Body));
        }
        else if (document.Parsed.IsIndex)
        {
            WriteObject(new ImageIndexInfo(reference, document.Fetched, document.Parsed));
        }
        else
        {
            WriteObject(new ImageManifestInfo(reference, document.Fetched, document.Parsed, document.Descriptor.Platform));
        }
    }

    private async Task<Document> FetchAsync(ImageReference reference, Descriptor descriptor, string text, CancellationToken cancellationToken)
    {
        FetchedManifest fetched = await Client.FetchManifestAsync(reference, descriptor, cancellationToken).ConfigureAwait(false);
        return new Document(descriptor, fetched, ManifestParser.Parse(fetched.Body, fetched.Descriptor.MediaType, text));
    }

    /// <summary>The best manifest of <paramref name="index"/> for the platform (following nested indexes), or null when none matches.</summary>
    private async Task<Document?> ChooseAsync(ImageReference reference, ImageIndex index, string text, int depth, CancellationToken cancellationToken)
    {
        foreach (Descriptor candidate in IndexPlatformChoice.Candidates(index, _matcher!))
        {
            Document document = await FetchAsync(reference, candidate, text, cancellationToken).ConfigureAwait(false);
            if (document.Parsed.Index is not { } nested)
            {
                return document;
            }

            if (depth + 1 < MaxIndexDepth && await ChooseAsync(reference, nested, text, depth + 1, cancellationToken).ConfigureAwait(false) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private NotFoundException NoMatch(ImageReference reference, ImageIndex index, string text)
    {
        IReadOnlyList<string> offered = IndexPlatformChoice.Platforms(index);
        string has = offered.Count == 0 ? "it lists no platforms" : $"it has {string.Join(", ", offered)}";
        return new NotFoundException(
            $"{reference}: no manifest for platform {Platforms.FormatAll(_platform!)} in the index ({has})",
            ErrorIds.PlatformNotFound) { Target = text };
    }

    /// <summary>A fetched index or manifest with the descriptor it was asked by (an index entry carries the platform).</summary>
    private sealed record Document(Descriptor Descriptor, FetchedManifest Fetched, ParsedManifest Parsed);
}
