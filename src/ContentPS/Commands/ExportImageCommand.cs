using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Archives;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Internal;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Writes images of the content store into an OCI layout directory, an OCI archive or a docker archive.</para>
/// </summary>
/// <remarks>
/// Names are collected from every input and written in <see cref="EndProcessingAsync"/> into one target, so
/// <c>Get-Image | Export-Image -Path all.tar</c> writes one archive holding them all.
/// </remarks>
[Cmdlet(VerbsData.Export, "Image", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ExportSummary))]
public sealed class ExportImageCommand : StoreCmdlet
{
    private readonly List<string> _names = [];
    private string? _storeRoot;
    private IReadOnlyList<Platform>? _platforms;

    /// <summary>Names of the image records to write (several go into one target).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>The directory (OciLayout) or file (OciArchive, DockerArchive) to write; relative to the current location.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The form to write; default: OciArchive when -Path ends in .tar, else OciLayout.</summary>
    [Parameter]
    public ArchiveFormat? Format { get; set; }

    /// <summary>The platforms an index is cut down to (<c>linux/arm64</c>); default: this machine's.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Platform { get; set; }

    /// <summary>Writes every platform of an index, and its attestations: the index as it is.</summary>
    [Parameter]
    public SwitchParameter AllPlatforms { get; set; }

    /// <summary>Writes the attestation manifests that refer to the chosen platforms too (never into a docker archive).</summary>
    [Parameter]
    public SwitchParameter IncludeAttestations { get; set; }

    /// <summary>Replaces a directory or file that exists at -Path.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        _platforms = ParsePlatformSelection(Platform, AllPlatforms);

        return Task.CompletedTask;
    }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        string root;
        try
        {
            root = ResolveStoreRoot();
        }
        catch (ClassifiedException ex)
        {
            ThrowTerminatingError(ex, Store);
            throw; // not reached
        }

        if (_storeRoot is not null && root != _storeRoot)
        {
            string twoStores = $"one export reads one store, but the images come from {_storeRoot} and {root}: export them in two calls";
            ThrowTerminatingError(new InvalidArgumentException(twoStores, ErrorIds.InvalidArgument), root);
        }

        _storeRoot = root;
        _names.AddRange(Name);
        return Task.CompletedTask;
    }

    protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
    {
        if (_names.Count == 0)
        {
            return;
        }

        string target;
        ArchiveFormat format;
        try
        {
            target = FileSystemPaths.ResolveTarget(SessionState, Path);
            format = Format ?? DefaultFormat(target);
        }
        catch (ClassifiedException ex)
        {
            ThrowTerminatingError(ex, Path);
            throw; // not reached
        }

        IContentStore? store = OpenExistingStore();
        var names = _names.Distinct(StringComparer.Ordinal).ToList();
        if (!await AllRecordsExistAsync(store, names, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        string list = string.Join(", ", names);
        if (!ShouldProcess(target, $"Export {list} as {format}{(Force ? ", replacing what is there" : "")}"))
        {
            return;
        }

        try
        {
            ExportResult result;
            await using (var progress = new PullProgress(StartProgress($"Exporting {list} to {target}", "Planning")))
            {
                result = await ImageExport.ExportAsync(new ExportRequest
                {
                    Store = store!,
                    Names = names,
                    Path = target,
                    Format = format,
                    Platforms = _platforms,
                    AllPlatforms = AllPlatforms,
                    IncludeAttestations = IncludeAttestations,
                    Overwrite = Force,
                    Tracker = progress.Tracker,
                }, cancellationToken).ConfigureAwait(false);
            }

            foreach (ArchivedImage image in result.Images.Where(image => image.IndexRewritten))
            {
                WriteVerbose($"{image.Name}: the platforms chosen were written as a new index {image.Root.Digest} (the store's is {image.SourceRoot.Digest}).");
            }

            WriteVerbose($"Wrote {result.Images.Count} images, {result.BlobsWritten} blobs, {result.BytesWritten} bytes to {result.Path}.");
            WriteObject(new ExportSummary(result, store!.Root));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            WriteError(ex, target);
        }
    }

    /// <summary>The form a path asks for when -Format is not given: a <c>.tar</c> file is an OCI archive; anything else a layout directory.</summary>
    internal static ArchiveFormat DefaultFormat(string path)
    {
        if (path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase))
        {
            return ArchiveFormat.OciArchive;
        }

        if (path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase))
        {
            string compressed = $"{path}: Export-Image writes uncompressed tar files; name the file .tar (compress it afterwards if you like), or give -Format";
            throw new InvalidArgumentException(compressed, ErrorIds.InvalidArgument) { Target = path };
        }

        return ArchiveFormat.OciLayout;
    }

    /// <summary>True when every name is a record of the store; otherwise one ImageNotFound error per missing name, and nothing is written.</summary>
    private async Task<bool> AllRecordsExistAsync(IContentStore? store, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var records = store is null ? null : new ImageRecordStore(store.Root);
        bool all = true;
        foreach (string name in names)
        {
            try
            {
                if (records is null)
                {
                    throw new NotFoundException($"image \"{name}\" not found (there is no store at {ResolveStoreRoot()})", ErrorIds.ImageNotFound) { Target = name };
                }

                await records.GetAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (ClassifiedException ex) when (ex.Class != ErrorClass.Canceled)
            {
                WriteError(ex, name);
                all = false;
            }
        }

        return all;
    }
}
