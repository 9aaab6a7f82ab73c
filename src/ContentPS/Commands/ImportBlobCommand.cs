using System.Collections;
using System.Diagnostics;
using System.Management.Automation;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Imports files into the content store as blobs.</para>
/// </summary>
[Cmdlet(VerbsData.Import, "Blob", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(BlobDescriptor))]
public sealed class ImportBlobCommand : StoreCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>Files with progress: those of at least this size (or of unknown size).</summary>
    private const long ProgressThreshold = 16L << 20;

    private Dictionary<string, string>? _labels;
    private ProgressReporter? _progress;

    /// <summary>Files to import; wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    /// <summary>Files to import, taken exactly as written (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>The media type written to the output descriptor.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string MediaType { get; set; } = "application/octet-stream";

    /// <summary>Labels to set on each imported blob.</summary>
    [Parameter]
    public Hashtable? Label { get; set; }

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        try
        {
            _labels = LabelArguments.Convert(Label);
        }
        catch (ClassifiedException ex)
        {
            ThrowTerminatingError(ex, ex.Target ?? Label);
        }

        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        try
        {
            MediaTypes.Validate(MediaType);
        }
        catch (ClassifiedException ex)
        {
            WriteError(ex, MediaType);
            return;
        }

        foreach (string file in ResolveFiles())
        {
            cancellationToken.ThrowIfCancellationRequested();
            string root = ResolveStoreRoot();
            if (!ShouldProcess(file, $"Import into the content store {root}"))
            {
                continue;
            }

            IContentStore store = OpenStore();
            try
            {
                BlobImportResult result = await ImportAsync(store, file, cancellationToken).ConfigureAwait(false);
                WriteVerbose(result.Committed
                    ? $"Imported {file} as {result.Digest} ({result.Size} bytes)."
                    : $"{file} is already in the store as {result.Digest} ({result.Size} bytes).");
                WriteObject(new BlobDescriptor
                {
                    MediaType = MediaType,
                    Digest = result.Digest.ToString(),
                    Size = result.Size,
                    Source = file,
                    Store = store.Root,
                });
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                WriteError(ex, file);
            }
        }
    }

    private async Task<BlobImportResult> ImportAsync(IContentStore store, string file, CancellationToken cancellationToken)
    {
        // One activity per call, a child per large file; the base throttles, and completes what is open when the call ends.
        ProgressItem? item = null;
        var watch = Stopwatch.StartNew();
        long startOffset = -1;
        var observer = new BlobImportObserver
        {
            Note = WriteVerbose,
            Progress = (offset, total) =>
            {
                if (startOffset < 0) startOffset = offset;
                if (total > 0 && total < ProgressThreshold) return;
                if (item is null)
                {
                    _progress ??= StartProgress("Import-Blob", $"Importing into {store.Root}");
                    item = _progress.StartItem(file, "starting");
                }
                double seconds = watch.Elapsed.TotalSeconds;
                string rate = seconds > 0 ? $"{Format((long)((offset - startOffset) / seconds))}/s" : "";
                item.ReportBytes(offset, total, rate);
            },
        };

        try
        {
            return await BlobImport.ImportFileAsync(store, file, _labels, observer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            item?.Complete();
        }
    }

    private static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):F1} KiB",
        _ => $"{bytes} B",
    };

    /// <summary>The file-system paths of this record's -Path (globbed) or -LiteralPath; errors for the rest.</summary>
    private List<string> ResolveFiles()
    {
        var files = new List<string>();
        if (ParameterSetName == LiteralPathSet)
        {
            foreach (string literal in LiteralPath)
            {
                try
                {
                    string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(literal, out ProviderInfo provider, out _);
                    if (CheckProvider(provider, literal)) files.Add(path);
                }
                catch (Exception ex) when (ex is not ClassifiedException)
                {
                    WriteError(new NotFoundException($"cannot find path {literal}: {ex.Message}", ErrorIds.PathNotFound, ex), literal);
                }
            }

            return files;
        }

        foreach (string pattern in Path)
        {
            try
            {
                var resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(pattern, out ProviderInfo provider);
                if (!CheckProvider(provider, pattern)) continue;
                if (resolved.Count == 0)
                {
                    WriteError(new NotFoundException($"cannot find path {pattern}: no file matches", ErrorIds.PathNotFound), pattern);
                }

                files.AddRange(resolved);
            }
            catch (ItemNotFoundException ex)
            {
                WriteError(new NotFoundException($"cannot find path {pattern} because it does not exist", ErrorIds.PathNotFound, ex), pattern);
            }
            catch (Exception ex) when (ex is not ClassifiedException)
            {
                WriteError(ex, pattern);
            }
        }

        return files;
    }

    private bool CheckProvider(ProviderInfo provider, string path)
    {
        if (provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider)) return true;
        WriteError(new InvalidArgumentException($"{path} is a {provider.Name} path; Import-Blob reads files", ErrorIds.InvalidPath), path);
        return false;
    }
}
