using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Content;
using ContentPS.Engine.Content.Leases;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Images.Graph;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Transfer;
using ContentPS.Internal;
using ContentPS.Internal.ScriptHandlers;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Walks image graphs and runs a chain of script and built-in handlers on every descriptor: scripts see the descriptor as $_, can skip its subtree, choose its children, and write objects down the pipeline.</para>
/// </summary>
/// <remarks>
/// Each reference is walked on its own: sequentially and depth-first by default (the engine's Walk; scripts run in
/// this runspace, on the pipeline thread), siblings at once with -Parallel (the engine's Dispatch; scripts run in a
/// runspace pool of -ThrottleLimit, each digest once). See <see cref="HandlerChain"/> for the order rules.
/// </remarks>
[Cmdlet(VerbsLifecycle.Invoke, "ImageHandler", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(object))]
public sealed class InvokeImageHandlerCommand : RegistryCmdlet
{
    private const int DefaultThrottleLimit = 8;

    private IReadOnlyList<HandlerStep> _steps = [];
    private Dictionary<ScriptStep, PreparedScript> _scripts = [];
    private IReadOnlyList<Platform>? _platforms;
    private bool _continueOnError;

    /// <summary>The images to walk (<c>registry.example/app:v1</c>, <c>repo@sha256:…</c>), or image record names of the store.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Reference { get; set; } = [];

    /// <summary>
    /// The handler chain, run in order for every descriptor: scriptblocks, and the built-in handlers by name
    /// (<c>Children</c>, <c>FilterPlatforms</c>, <c>FetchToStore</c>).
    /// </summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(HandlerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public object[] Handler { get; set; } = [];

    /// <summary>Handles siblings at once (the engine's Dispatch), running scripts in a pool of -ThrottleLimit runspaces; each digest is handled once.</summary>
    [Parameter]
    public SwitchParameter Parallel { get; set; }

    /// <summary>With -Parallel: the most handlers (and runspaces) at once.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

    /// <summary>The platforms whose layers the built-in children include, and that FilterPlatforms keeps (<c>linux/arm64</c>); default: this machine's.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Platform { get; set; }

    /// <summary>The built-in children include every platform's layers, and attestations.</summary>
    [Parameter]
    public SwitchParameter AllPlatforms { get; set; }

    /// <summary>Reads only the content store: never the network; an image the store does not have is an error.</summary>
    [Parameter]
    public SwitchParameter Local { get; set; }

    /// <summary>Reads only the registry, even when the store has the image.</summary>
    [Parameter]
    public SwitchParameter Remote { get; set; }

    /// <summary>The content store read first and that FetchToStore writes to; default: <c>$env:CONTENTPS_STORE</c>, else the per-user store.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    private bool Fetches => _steps.Any(step => step is BuiltInStep { Name: BuiltInHandler.FetchToStore });

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        RejectLocalWithRemote(Local, Remote);

        if (!Parallel && MyInvocation.BoundParameters.ContainsKey(nameof(ThrottleLimit)))
        {
            ThrowTerminatingError(new InvalidArgumentException(
                "-ThrottleLimit bounds the runspaces of -Parallel: add -Parallel, or leave -ThrottleLimit out", ErrorIds.InvalidArgument), ThrottleLimit);
        }

        _platforms = ParsePlatformSelection(Platform, AllPlatforms);
        try
        {
            _steps = HandlerStep.Parse(Handler);
        }
        catch (ClassifiedException ex)
        {
            ThrowTerminatingError(ex, Handler);
        }

        if (Local && Fetches)
        {
            ThrowTerminatingError(new InvalidArgumentException(
                "FetchToStore fetches from the registry, which -Local does not read: leave -Local out", ErrorIds.InvalidArgument), BuiltInHandler.FetchToStore);
        }

        _scripts = PrepareScripts();
        _continueOnError = ContinuesOnError();
        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        // A chain of built-in handlers alone needs no runspace.
        using RunspacePoolScriptRunner? pool = Parallel && _scripts.Count > 0 ? new RunspacePoolScriptRunner(ThrottleLimit, ModulePath(), Streams()) : null;
        IScriptRunner runner = pool ?? (IScriptRunner)new SequentialScriptRunner(InvokeOnPipelineThread);
        foreach (string text in Reference)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ImageReference? reference = ParseReferenceOrWriteError(text);
            if (reference is null) continue;
            try
            {
                await WalkAsync(text, reference, runner, cancellationToken).ConfigureAwait(false);
            }
            catch (HandlerFailedException failed)
            {
                WriteError(failed.Record);
            }
            catch (ClassifiedException ex) when (ex.Class != ErrorClass.Canceled)
            {
                WriteError(ex, text);
            }
        }
    }

    private async Task WalkAsync(string text, ImageReference reference, IScriptRunner runner, CancellationToken cancellationToken)
    {
        string storeRoot = StoreRoot.Resolve(SessionState, Store);
        if (Fetches && !ShouldProcess(text, $"Fetch the content the handlers reach into the content store {storeRoot}"))
        {
            return;
        }

        (Descriptor root, WalkSetup setup) = await ResolveAsync(text, reference, storeRoot, cancellationToken).ConfigureAwait(false);
        Lease? lease = null;
        IContentStore? store = null;
        if (Fetches)
        {
            store = LocalContentStore.Open(storeRoot);
            lease = await LeaseManager.Open(store).CreateAsync(
                new LeaseOptions { Labels = new Dictionary<string, string> { ["contentps.handler"] = reference.ToString() } }, cancellationToken).ConfigureAwait(false);
            setup = setup with { Fetch = new FetchToStore(store, Client, setup.Repository ?? reference, lease) };
        }

        await using (lease)
        {
            var chain = new HandlerChain(_steps, _scripts, runner, setup, new ChainOutput(WriteObject, WriteError), _continueOnError);
            ImageNode[] roots = [new ImageNode(root)];
            if (Parallel)
            {
                await ImageHandlers.DispatchAsync(chain.Handler, roots, new DispatchOptions { MaxConcurrency = ThrottleLimit }, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ImageHandlers.WalkAsync(chain.Handler, roots, cancellationToken).ConfigureAwait(false);
            }

            if (setup.Selection.Unmatched is { Count: > 0 } unmatched)
            {
                string message = $"{text}: no manifest for {string.Join(", ", unmatched.Select(Platforms.Format))}; the image has {string.Join(", ", setup.Selection.Offered)}";
                throw new NotFoundException(message, ErrorIds.PlatformNotFound) { Target = text };
            }

            if (store is not null)
            {
                await RecordAsync(store, reference, root, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The root and where the walk reads: the store when it has the image (unless -Remote), falling back to the registry
    /// for what it lacks when the image came from one (unless -Local); else the registry.
    /// </summary>
    private async Task<(Descriptor Root, WalkSetup Setup)> ResolveAsync(string text, ImageReference reference, string storeRoot, CancellationToken cancellationToken)
    {
        IReadOnlyList<Platform> platforms = _platforms is { Count: > 0 } asked ? asked : [Platforms.Default()];
        var selection = new PullSelection(platforms, AllPlatforms, includeAttestations: false);
        // One platform matches as a pull chooses for it (with its fallbacks, arm64 runs arm/v7); several, each exactly.
        IPlatformMatcher? filter = AllPlatforms ? null : platforms.Count == 1 ? Platforms.Only(platforms[0]) : Platforms.Any([.. platforms]);
        StoreImageReader? reader = Remote ? null : StoreImageReader.Open(storeRoot);
        StoredImage? stored = reader is null ? null : await reader.FindAsync(text, reference, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            var fromStore = new ContentStoreManifestSource(LocalContentStore.Open(storeRoot));
            IManifestSource source = Local || !stored.RegistryKnown ? fromStore : new StoreFirstManifestSource(fromStore, new RegistryManifestSource(Client, reference));
            Descriptor root = await WithMediaTypeAsync(stored.Root, source, cancellationToken).ConfigureAwait(false);
            return (root, new WalkSetup(text, stored.RegistryKnown ? reference : null, storeRoot, source, selection, filter, null));
        }

        if (Local)
        {
            string message = $"{text}: not found locally (the store {storeRoot} has no such image); -Local reads only the store";
            throw new NotFoundException(message, ErrorIds.ImageNotFound) { Target = text };
        }

        ResolvedImage resolved = await Client.ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
        var setup = new WalkSetup(text, resolved.Reference, null, new RegistryManifestSource(Client, resolved.Reference), selection, filter, null);
        return (resolved.Descriptor, setup);
    }

    /// <summary>A root found by digest alone has no media type: its body says what it is.</summary>
    private static async Task<Descriptor> WithMediaTypeAsync(Descriptor root, IManifestSource source, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(root.MediaType))
        {
            return root;
        }

        byte[] body = await source.ReadManifestAsync(root, cancellationToken).ConfigureAwait(false);
        return new Descriptor { MediaType = ManifestParser.Parse(body, null, root.Digest.ToString()).MediaType, Digest = root.Digest, Size = root.Size };
    }

    /// <summary>A walk that fetched its root names it in an image record (as a pull does), so what it fetched outlives its lease.</summary>
    private static async Task RecordAsync(IContentStore store, ImageReference reference, Descriptor root, CancellationToken cancellationToken)
    {
        try
        {
            await store.InfoAsync(root.Digest, cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            return; // a handler skipped the root: nothing of this image is named
        }

        string name = reference.ToString();
        var records = new ImageRecordStore(store.Root);
        try
        {
            if ((await records.GetAsync(name, cancellationToken).ConfigureAwait(false)).Target.Digest.Equals(root.Digest))
            {
                return;
            }
        }
        catch (NotFoundException)
        {
            // no record yet
        }

        await records.SetAsync(name, root, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads every script's $using: values in this session (on the pipeline thread); a bad one ends the call.</summary>
    private Dictionary<ScriptStep, PreparedScript> PrepareScripts()
    {
        var prepared = InvokeOnPipelineThread<object>(() =>
        {
            try
            {
                return _steps.OfType<ScriptStep>().ToDictionary(step => step, step => new PreparedScript(step, UsingValues.Read(step.Script, SessionState, Parallel)));
            }
            catch (ClassifiedException ex)
            {
                return ex;
            }
        });
        if (prepared is ClassifiedException failure)
        {
            ThrowTerminatingError(failure, failure.Target);
        }

        return (Dictionary<ScriptStep, PreparedScript>)prepared;
    }

    /// <summary>
    /// -ErrorAction Continue, SilentlyContinue or Ignore given: a failing handler's subtree is skipped and the walk
    /// goes on. Otherwise the first failure ends the walk of that reference (and cancels the handlers still running).
    /// </summary>
    private bool ContinuesOnError() =>
        MyInvocation.BoundParameters.TryGetValue("ErrorAction", out object? value)
        && (value is PSObject wrapped ? wrapped.BaseObject : value) is ActionPreference preference
        && preference is ActionPreference.Continue or ActionPreference.SilentlyContinue or ActionPreference.Ignore;

    /// <summary>The module the runspaces of -Parallel import, so ContentPS types and cmdlets work in handlers.</summary>
    private string? ModulePath() => MyInvocation.MyCommand.Module?.Path is { Length: > 0 } path && File.Exists(path) ? path : null;

    private ScriptStreams Streams() => new(
        error => WriteError(error),
        WriteWarning,
        WriteVerbose,
        information => WriteInformation(information.MessageData, [.. information.Tags]));
}
