using System.Management.Automation;
using ContentPS.Engine.Archives;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Internal;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Imports the images of an OCI layout directory, an OCI archive or a docker archive (tar or tar.gz) into the content store, with image records.</para>
/// </summary>
/// <remarks>
/// Each archive is imported as it arrives, so <c>Get-ChildItem *.tar | Import-Image | Publish-Image …</c>
/// streams. A failure is that archive's error, with the archive's path as its target, and the next one goes on.
/// </remarks>
[Cmdlet(VerbsData.Import, "Image", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ImageInfo), typeof(ImportSummary))]
public sealed class ImportImageCommand : StoreCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    private int _archives;

    /// <summary>Layout directories or archive files to import; wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    /// <summary>Layout directories or archive files to import, taken exactly as written (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>The record name for the archive's only image, instead of the names the archive gives it; only with one archive.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Writes one summary per archive (<c>ContentPS.ImportSummary</c>) instead of the image records written.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

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

        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string argument in literal ? LiteralPath : Path)
        {
            IReadOnlyList<string> archives;
            try
            {
                archives = FileSystemPaths.ResolveExisting(SessionState, argument, literal);
            }
            catch (ClassifiedException ex)
            {
                WriteError(ex, argument);
                continue;
            }

            foreach (string archive in archives)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await ImportOneAsync(archive, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ImportOneAsync(string archive, CancellationToken cancellationToken)
    {
        if (Name is not null && ++_archives > 1)
        {
            string second = $"-Name {Name} names one image record, but a second archive came in ({archive}): import it without -Name, or in its own call";
            WriteError(new InvalidArgumentException(second, ErrorIds.InvalidArgument) { Target = archive }, archive);
            return;
        }

        string root = ResolveStoreRoot();
        if (!ShouldProcess(archive, $"Import the images into the content store {root}{(Name is null ? "" : $" as {Name}")}"))
        {
            return;
        }

        IContentStore store = OpenStore();
        try
        {
            ImportResult result = await ImportAsync(store, archive, cancellationToken).ConfigureAwait(false);
            WriteVerbose($"Imported {archive} ({result.Format}): {result.Images.Count} records, {result.BlobsWritten} blobs stored, {result.BlobsExisting} present, {result.BytesWritten} bytes.");
            if (Summary)
            {
                WriteObject(new ImportSummary(result, store.Root));
                return;
            }

            var records = new ImageRecordStore(store.Root);
            foreach (ArchivedImage image in result.Images)
            {
                ImageRecord record = await records.GetAsync(image.Name, cancellationToken).ConfigureAwait(false);
                WriteObject(new ImageInfo(record, store.Root));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            WriteError(WithArchiveTarget(ex, archive), archive);
        }
    }

    private async Task<ImportResult> ImportAsync(IContentStore store, string archive, CancellationToken cancellationToken)
    {
        ProgressReporter reporter = StartProgress($"Importing {archive}", "Reading");
        ProgressItem reading = ProgressItem.Disabled;
        long length = File.Exists(archive) ? new FileInfo(archive).Length : 0;
        if (length > 0)
        {
            reading = reporter.StartItem($"Reading {System.IO.Path.GetFileName(archive)}", "Reading");
        }

        await using var progress = new PullProgress(reporter);
        try
        {
            return await ImageImport.ImportAsync(new ImportRequest
            {
                Store = store,
                Path = archive,
                Name = Name,
                Tracker = progress.Tracker,
                ReadProgress = reporter.IsEnabled && length > 0 ? new BytesRead(read => reading.ReportBytes(read, length)) : null,
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            reading.Complete();
        }
    }

    /// <summary>The failure with the archive as its target (the engine names the entry or digest, which the message keeps).</summary>
    private static Exception WithArchiveTarget(Exception exception, string archive)
    {
        ClassifiedException classified = exception as ClassifiedException ?? Errors.Classify(exception);
        return Equals(classified.Target, archive)
            ? classified
            : Errors.New(classified.Class, classified.Message, classified.ErrorId, classified, archive, classified.Details);
    }

    /// <summary>Reports synchronously on the engine's thread (<see cref="Progress{T}"/> would post to a context).</summary>
    private sealed class BytesRead(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
