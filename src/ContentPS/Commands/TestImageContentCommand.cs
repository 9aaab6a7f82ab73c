using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Images.Check;
using ContentPS.Engine.Oci;
using EngineCheckResult = ContentPS.Engine.Images.Check.ImageCheckResult;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Tests that the content store holds every blob an image needs for a platform, and with -Verify that the blobs are sound.</para>
/// </summary>
/// <remarks>
/// An incomplete image is a result with Complete false, not an error: a check that ran is a success whatever it
/// found. Errors are for what could not be checked (no such record, an unreadable store). <c>-Quiet</c> writes one
/// Boolean for the whole call (every image found and complete), so <c>if (Test-ImageContent a, b -Quiet)</c> means both.
/// </remarks>
[Cmdlet(VerbsDiagnostic.Test, "ImageContent", DefaultParameterSetName = PlatformSet)]
[OutputType(typeof(ImageCheckResult), typeof(bool))]
public sealed class TestImageContentCommand : StoreCmdlet
{
    private const string PlatformSet = "Platform";
    private const string AllPlatformsSet = "AllPlatforms";

    private IReadOnlyList<Platform> _platforms = [];
    private ProgressReporter? _progress;
    private bool _allComplete = true;
    private int _checked;

    /// <summary>Names of the image records to check; wildcards match the record names.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>The platforms to check (<c>linux/arm64</c>); default: this machine's.</summary>
    [Parameter(ParameterSetName = PlatformSet)]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Platform { get; set; }

    /// <summary>Checks every manifest of the image, whatever its platform (attestations included).</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllPlatformsSet)]
    public SwitchParameter AllPlatforms { get; set; }

    /// <summary>Re-hashes every present config and layer (indexes and manifests are always verified).</summary>
    [Parameter]
    public SwitchParameter Verify { get; set; }

    /// <summary>Writes one Boolean for the whole call instead of results: true when every image named was found and is complete.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        if (AllPlatforms) return Task.CompletedTask;
        if (Platform is null)
        {
            _platforms = [Platforms.Default()];
            return Task.CompletedTask;
        }

        var parsed = new List<Platform>();
        foreach (string text in Platform)
        {
            try
            {
                parsed.Add(Platforms.Parse(text));
            }
            catch (ClassifiedException ex)
            {
                // Nothing can be checked for a platform that does not parse.
                ThrowTerminatingError(ex, text);
            }
        }

        _platforms = parsed.DistinctBy(Platforms.Format).ToList();
        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        IContentStore? store = OpenExistingStore();
        foreach (string text in Name)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<ImageRecord> records;
            bool wildcard = WildcardPattern.ContainsWildcardCharacters(text);
            try
            {
                records = await FindAsync(store, text, wildcard, cancellationToken).ConfigureAwait(false);
            }
            catch (ClassifiedException ex) when (ex.Class != ErrorClass.Canceled && !wildcard)
            {
                // A name that names no record (or is no record name): that item fails, the next goes on.
                _allComplete = false;
                if (Quiet) WriteVerbose(ex.Message);
                else WriteError(ex, text);
                continue;
            }
            catch (ClassifiedException ex) when (ex.Class != ErrorClass.Canceled)
            {
                // The record list itself is unreadable: nothing can be matched.
                ThrowTerminatingError(ex, store?.Root);
                return;
            }

            foreach (ImageRecord record in records)
            {
                try
                {
                    ImageCheckResult result = await CheckAsync(store!, record, cancellationToken).ConfigureAwait(false);
                    _checked++;
                    _allComplete &= result.Complete;
                    WriteVerbose($"{record.Name}: {result.Present} of {result.Required} blobs present, {result.Missing} missing, {result.Corrupt} corrupt.");
                    if (!Quiet) WriteObject(result);
                }
                catch (ClassifiedException ex) when (ex.Class != ErrorClass.Canceled)
                {
                    _allComplete = false;
                    if (Quiet) WriteVerbose($"{record.Name}: {ex.Message}");
                    else WriteError(ex, record.Name);
                }
            }
        }
    }

    protected override Task EndProcessingAsync(CancellationToken cancellationToken)
    {
        if (Quiet) WriteObject(_checked > 0 && _allComplete);
        return Task.CompletedTask;
    }

    /// <summary>The records a name names: one (or ImageNotFound) for a plain name, those that match for a pattern.</summary>
    private async Task<IReadOnlyList<ImageRecord>> FindAsync(IContentStore? store, string text, bool wildcard, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return wildcard ? [] : throw new NotFoundException($"image \"{text}\" not found (there is no store at {ResolveStoreRoot()})", ErrorIds.ImageNotFound) { Target = text };
        }

        var records = new ImageRecordStore(store.Root);
        if (!wildcard)
        {
            return [await records.GetAsync(text, cancellationToken).ConfigureAwait(false)];
        }

        var pattern = new WildcardPattern(text, WildcardOptions.IgnoreCase);
        return (await records.ListAsync(null, cancellationToken).ConfigureAwait(false)).Where(record => pattern.IsMatch(record.Name)).ToList();
    }

    /// <summary>One engine check per platform (or one for all), merged: each digest counted once.</summary>
    private async Task<ImageCheckResult> CheckAsync(IContentStore store, ImageRecord record, CancellationToken cancellationToken)
    {
        _progress ??= StartProgress("Test-ImageContent", $"Checking images in {store.Root}");
        _progress.Report($"Checking {record.Name}" + (Verify ? " (verifying content)" : ""));

        var checks = new List<(string? Platform, EngineCheckResult Result)>();
        if (AllPlatforms)
        {
            checks.Add((null, await ImageCheck.CheckAsync(store, record, null, Verify, cancellationToken).ConfigureAwait(false)));
        }
        else
        {
            foreach (Platform platform in _platforms)
            {
                EngineCheckResult result = await ImageCheck.CheckAsync(store, record, Platforms.Only(platform), Verify, cancellationToken).ConfigureAwait(false);
                checks.Add((Platforms.Format(platform), result));
            }
        }

        var required = new DescriptorSet();
        var present = new DescriptorSet();
        var missing = new DescriptorSet();
        var corrupt = new Dictionary<Digest, CorruptBlobInfo>();
        foreach (var (_, result) in checks)
        {
            required.AddRange(result.Required);
            present.AddRange(result.Present);
            missing.AddRange(result.Missing);
            foreach (CorruptContent bad in result.Corrupt)
            {
                Descriptor d = bad.Descriptor;
                corrupt.TryAdd(d.Digest, new CorruptBlobInfo(d.MediaType, d.Digest.ToString(), d.Size, bad.Error.Message, store.Root));
                WriteVerbose($"{record.Name}: {bad.Error.Message}");
            }
        }

        var unmatched = checks.Where(c => c.Platform is not null && !c.Result.PlatformMatched).Select(c => c.Platform!).ToList();
        foreach (string platform in unmatched)
        {
            WriteVerbose($"{record.Name}: the image has no manifest for {platform}.");
        }

        return new ImageCheckResult(record.Name, record.Target, store.Root, checks.Where(c => c.Platform is not null).Select(c => c.Platform!).ToList(),
            AllPlatforms, Verify, required.Items, present.Items, missing.Items, [.. corrupt.Values], unmatched,
            available: checks.All(c => c.Result.Available));
    }

    /// <summary>Descriptors in first-seen order, each digest once.</summary>
    private sealed class DescriptorSet
    {
        private readonly HashSet<Digest> _seen = [];

        public List<Descriptor> Items { get; } = [];

        public void AddRange(IEnumerable<Descriptor> descriptors)
        {
            foreach (Descriptor descriptor in descriptors)
            {
                if (_seen.Add(descriptor.Digest)) Items.Add(descriptor);
            }
        }
    }
}
