using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Gc;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Removes the blobs of the content store that nothing refers to, and stale partial writes (garbage collection).</para>
/// </summary>
/// <remarks>
/// A collection is one decision, so <c>-Confirm</c> asks once per store, not per blob: the set of garbage is only
/// known under the collection's lock, and a prompt per blob would hold that lock (and every pull into the store)
/// while a person reads. <c>-WhatIf</c> runs the collection as a dry run and writes one "What if" line per blob,
/// ingest and lease it would remove, then one for the total.
/// </remarks>
[Cmdlet(VerbsCommon.Remove, "UnreferencedContent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(GcSummary))]
public sealed class RemoveUnreferencedContentCommand : StoreCmdlet
{
    private readonly HashSet<string> _collected = new(StringComparer.Ordinal);
    private bool _whatIf;

    /// <summary>Partial writes not updated for this long (and held by no writer or lease) are removed. Default: one day.</summary>
    [Parameter]
    public TimeSpan IngestMaxAge { get; set; } = new GcOptions().IngestMaxAge ?? TimeSpan.FromDays(1);

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        if (IngestMaxAge < TimeSpan.Zero)
        {
            ThrowTerminatingError(new InvalidArgumentException($"-IngestMaxAge {IngestMaxAge}: an age cannot be negative", ErrorIds.InvalidArgument) { Target = Age(IngestMaxAge) }, IngestMaxAge);
        }

        _whatIf = IsWhatIf();
        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        string root;
        try
        {
            root = ResolveStoreRoot();
        }
        catch (ClassifiedException ex)
        {
            ThrowTerminatingError(ex, Store);
            return;
        }

        // Objects piped in carry their store: collect each store once per call.
        if (!_collected.Add(root)) return;
        if (!Directory.Exists(root) && !File.Exists(root))
        {
            WriteVerbose($"There is no store at {root}: nothing to collect.");
            if (!_whatIf) WriteObject(new GcSummary(Nothing, TimeSpan.Zero, root));
            return;
        }

        if (OpenStore() is not LocalContentStore store)
        {
            // StoreCmdlet opens local stores only; a collection needs the files of one.
            throw Errors.New(ErrorClass.Internal, $"the store at {root} is not a local content store", ErrorIds.Internal, null, root);
        }

        try
        {
            if (_whatIf)
            {
                await ShowWhatIfAsync(store, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await CollectAsync(store, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ClassifiedException ex) when (ex.Class != ErrorClass.Canceled)
        {
            WriteError(ex, root);
        }
    }

    private async Task CollectAsync(LocalContentStore store, CancellationToken cancellationToken)
    {
        string action = $"Remove every blob that no image record, containerd.io/gc.root label, lease or open ingest refers to, and partial writes not updated for {Age(IngestMaxAge)}";
        if (!ShouldProcess(store.Root, action)) return;

        using ProgressReporter progress = StartProgress("Remove-UnreferencedContent", $"Collecting garbage in {store.Root}");
        progress.Report("marking and sweeping");
        var stopwatch = Stopwatch.StartNew();
        GcResult result = await GarbageCollector.CollectAsync(store, Options(dryRun: false), cancellationToken).ConfigureAwait(false);
        stopwatch.Stop();
        foreach (string warning in result.Warnings) WriteWarning(warning);
        foreach (RemovedContent removed in result.RemovedContent) WriteVerbose($"Removed {removed.Digest} ({removed.Size} bytes).");
        foreach (IngestStatus ingest in result.RemovedIngests) WriteVerbose($"Removed the partial write {ingest.Ref} ({ingest.Offset} bytes).");
        foreach (string lease in result.RemovedLeases) WriteVerbose($"Removed the lease {lease}.");
        WriteObject(new GcSummary(result, stopwatch.Elapsed, store.Root));
    }

    /// <summary>A dry run: one What-if line per blob, ingest and lease it would remove, and one for the total; nothing is removed.</summary>
    private async Task ShowWhatIfAsync(LocalContentStore store, CancellationToken cancellationToken)
    {
        GcResult result = await GarbageCollector.CollectAsync(store, Options(dryRun: true), cancellationToken).ConfigureAwait(false);
        foreach (string warning in result.Warnings) WriteWarning(warning);
        foreach (RemovedContent blob in result.RemovedContent)
        {
            ShouldProcess(blob.Digest.ToString(), $"Remove unreferenced blob ({blob.Size} bytes)");
        }

        foreach (IngestStatus ingest in result.RemovedIngests)
        {
            ShouldProcess(ingest.Ref, $"Remove partial write ({ingest.Offset} bytes, last written {ingest.UpdatedAt.ToString("u", CultureInfo.InvariantCulture)})");
        }

        foreach (string lease in result.RemovedLeases)
        {
            ShouldProcess(lease, "Remove expired or abandoned lease");
        }

        ShouldProcess(store.Root, $"Remove {result.RemovedContent.Count} unreferenced blobs and {result.RemovedIngests.Count} partial writes ({result.BytesFreed} bytes), keep {result.KeptContent} blobs");
    }

    private GcOptions Options(bool dryRun) => new() { DryRun = dryRun, IngestMaxAge = IngestMaxAge };

    /// <summary>-WhatIf as PowerShell decides it: the switch when bound, else $WhatIfPreference.</summary>
    private bool IsWhatIf()
    {
        object? value = MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? bound)
            ? bound
            : SessionState.PSVariable.GetValue("WhatIfPreference");
        return LanguagePrimitives.IsTrue(value is PSObject wrapper ? wrapper.BaseObject : value);
    }

    private static string Age(TimeSpan age) => age.ToString("c", CultureInfo.InvariantCulture);

    private static GcResult Nothing { get; } = new()
    {
        DryRun = false,
        RemovedContent = [],
        RemovedIngests = [],
        RemovedLeases = [],
        KeptContent = 0,
        Warnings = [],
    };
}
