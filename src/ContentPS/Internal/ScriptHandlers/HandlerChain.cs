using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Internal.ScriptHandlers;

/// <summary>
/// The engine handler an <c>Invoke-ImageHandler -Handler</c> chain stands for. For each descriptor: its body is read
/// when it is an index or manifest (the script sees its <see cref="ImageDescriptorInfo.Kind"/>), then the steps run
/// in the order given:
/// <list type="bullet">
/// <item>a script's descriptors are added to the descriptor's children; its other output is written; Skip prunes
///   the subtree and Stop ends the chain for the descriptor (later steps do not run);</item>
/// <item><c>Children</c> adds the built-in children, selected for -Platform as a pull selects them;</item>
/// <item><c>FilterPlatforms</c> drops, of the children gathered so far, those of another platform than -Platform;</item>
/// <item><c>FetchToStore</c> fetches the descriptor's content into the store.</item>
/// </list>
/// When no step gave children (no <c>Children</c> in the chain and no script output a descriptor), the built-in
/// children are visited. A fetched descriptor is then labeled with its children. A failing step ends the walk
/// (<see cref="HandlerFailedException"/>), or, with <c>continueOnError</c>, writes its error and prunes the subtree.
/// </summary>
internal sealed class HandlerChain(
    IReadOnlyList<HandlerStep> steps,
    IReadOnlyDictionary<ScriptStep, PreparedScript> scripts,
    IScriptRunner runner,
    WalkSetup setup,
    ChainOutput output,
    bool continueOnError)
{
    public ImageHandler Handler => HandleAsync;

    private async ValueTask<HandlerResult> HandleAsync(ImageNode node, CancellationToken cancellationToken)
    {
        (byte[] Body, ParsedManifest Parsed)? document;
        try
        {
            document = await ReadDocumentAsync(node.Descriptor, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested && failure is not OperationCanceledException)
        {
            return Fail(HandlerFailure.FromBuiltIn(failure, "reading the body", Describe(node, null)));
        }

        ImageDescriptorInfo descriptor = Describe(node, document?.Parsed);
        List<Descriptor>? children = null;
        bool chosen = false;
        bool fetched = false;
        foreach (HandlerStep step in steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (step is ScriptStep script)
            {
                ScriptRun run = await runner.RunAsync(scripts[script], descriptor, cancellationToken).ConfigureAwait(false);
                if (run.Failure is { } thrown)
                {
                    return Fail(HandlerFailure.FromScript(thrown, script, descriptor));
                }

                ScriptOutput result = ScriptOutput.From(run.Output);
                foreach (object item in result.Pipeline)
                {
                    output.Object(item);
                }

                if (result.Signal == HandlerSignal.Skip)
                {
                    return HandlerResult.Skip;
                }

                if (result.Children is { } emitted)
                {
                    (children ??= []).AddRange(emitted);
                    chosen = true;
                }

                if (result.Signal == HandlerSignal.Stop)
                {
                    break;
                }

                continue;
            }

            string name = ((BuiltInStep)step).Name;
            try
            {
                switch (name)
                {
                    case BuiltInHandler.Children:
                        (children ??= []).AddRange(BuiltInChildren(node, document?.Parsed));
                        chosen = true;
                        break;
                    case BuiltInHandler.FilterPlatforms:
                        children = children?.Where(KeepsPlatform).ToList();
                        break;
                    case BuiltInHandler.FetchToStore:
                        await setup.Fetch!.FetchAsync(node, document?.Body, cancellationToken).ConfigureAwait(false);
                        fetched = true;
                        break;
                }
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested && failure is not OperationCanceledException)
            {
                return Fail(HandlerFailure.FromBuiltIn(failure, name, descriptor));
            }
        }

        IReadOnlyList<Descriptor> visit = chosen ? children ?? [] : BuiltInChildren(node, document?.Parsed);
        if (fetched)
        {
            try
            {
                await setup.Fetch!.LabelChildrenAsync(node, visit, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested && failure is not OperationCanceledException)
            {
                return Fail(HandlerFailure.FromBuiltIn(failure, BuiltInHandler.FetchToStore, descriptor));
            }
        }

        return HandlerResult.Of(visit);
    }

    private ImageDescriptorInfo Describe(ImageNode node, ParsedManifest? document) =>
        ImageDescriptorInfo.From(node, setup.Image, setup.Repository, setup.StoreRoot, document);

    private async Task<(byte[] Body, ParsedManifest Parsed)?> ReadDocumentAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        if (!MediaTypes.IsIndex(descriptor.MediaType) && !MediaTypes.IsManifest(descriptor.MediaType) && !MediaTypes.IsSchema1(descriptor.MediaType))
        {
            return null;
        }

        byte[] body = await setup.Source.ReadManifestAsync(descriptor, cancellationToken).ConfigureAwait(false);
        return (body, ManifestParser.Parse(body, descriptor.MediaType, descriptor.Digest.ToString()));
    }

    private IReadOnlyList<Descriptor> BuiltInChildren(ImageNode node, ParsedManifest? document) =>
        document is null ? [] : setup.Selection.Select(node, document.Children);

    private bool KeepsPlatform(Descriptor child) =>
        setup.PlatformFilter is null || child.Platform is null || setup.PlatformFilter.Match(child.Platform);

    private HandlerResult Fail(System.Management.Automation.ErrorRecord record)
    {
        if (!continueOnError)
        {
            throw new HandlerFailedException(record);
        }

        output.Error(record);
        return HandlerResult.Skip;
    }
}
