using System.Management.Automation;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS;

/// <summary>
/// Base of the cmdlets that work on a content store: adds <c>-Store</c> (also bound by property name, so the
/// objects these cmdlets write carry their store down the pipeline) and opens the store it names, or the
/// default store (<c>$env:CONTENTPS_STORE</c>, else the per-user data folder). Opening a store that is
/// unusable ends the call with a terminating error.
/// </summary>
public abstract class StoreCmdlet : ContentPSCmdlet
{
    private readonly Dictionary<string, IContentStore> _stores = new(StringComparer.Ordinal);

    /// <summary>The store root; default: <c>$env:CONTENTPS_STORE</c>, else the per-user store.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    /// <summary>The file-system path -Store names (relative paths are relative to the current location), or the default root.</summary>
    protected string ResolveStoreRoot() => ResolveStoreRoot(SessionState, Store);

    /// <summary>The root a <c>-Store</c> value names for a cmdlet that cannot derive from this class (it talks to registries too).</summary>
    internal static string ResolveStoreRoot(SessionState sessionState, string? store)
    {
        if (string.IsNullOrEmpty(store))
        {
            return StoreLocation.DefaultRoot();
        }

        try
        {
            string path = sessionState.Path.GetUnresolvedProviderPathFromPSPath(store, out ProviderInfo provider, out _);
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                throw new InvalidArgumentException($"-Store {store}: a store is a file-system folder, not a {provider.Name} path", ErrorIds.InvalidPath) { Target = store };
            }

            return path;
        }
        catch (Exception ex) when (ex is not ClassifiedException)
        {
            throw new InvalidArgumentException($"-Store {store}: {ex.Message}", ErrorIds.InvalidPath, ex) { Target = store };
        }
    }

    /// <summary>The store of the current input (opened once per root and call); a terminating error when it cannot be opened.</summary>
    protected IContentStore OpenStore()
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

        if (_stores.TryGetValue(root, out IContentStore? store))
        {
            return store;
        }

        try
        {
            store = LocalContentStore.Open(root);
        }
        catch (Exception ex)
        {
            ThrowTerminatingError(ex, root);
            throw; // not reached
        }

        _stores[root] = store;
        return store;
    }

    /// <summary>The store if it exists, else null (read-only cmdlets need not create a store to find nothing in it).</summary>
    protected IContentStore? OpenExistingStore()
    {
        string root;
        try
        {
            root = ResolveStoreRoot();
        }
        catch (ClassifiedException ex)
        {
            ThrowTerminatingError(ex, Store);
            throw;
        }

        return _stores.ContainsKey(root) || Directory.Exists(root) ? OpenStore() : null;
    }

    /// <summary>What a lookup in a store that does not exist finds: nothing (no store is created for it).</summary>
    protected NotFoundException NoSuchBlob(Digest digest) =>
        new($"content {digest}: not found (there is no store at {ResolveStoreRoot()})", ErrorIds.BlobNotFound) { Target = digest.ToString() };

    /// <summary>
    /// Runs <paramref name="action"/> for each digest that parses and names a blob of an existing store.
    /// A digest that does not parse, a store that does not exist, and a classified failure of one
    /// item each become that item's non-terminating error; the next item goes on.
    /// </summary>
    protected async Task ForEachBlobAsync(IEnumerable<string> digests, Func<IContentStore, Digest, string, Task> action, CancellationToken cancellationToken)
    {
        IContentStore? store = OpenExistingStore();
        foreach (string text in digests)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Digest? digest = ParseDigestOrWriteError(text);
            if (digest is null) continue;
            try
            {
                await action(store ?? throw NoSuchBlob(digest), digest, text).ConfigureAwait(false);
            }
            catch (ClassifiedException ex) when (ex.Class != ErrorClass.Canceled)
            {
                WriteError(ex, text);
            }
        }
    }

    /// <summary>Parses a digest argument; null (after a non-terminating InvalidDigest error) when it is not one.</summary>
    protected Digest? ParseDigestOrWriteError(string? text)
    {
        try
        {
            Digest digest = Digest.Parse(text ?? "");
            digest.EnsureStorable();
            return digest;
        }
        catch (ClassifiedException ex)
        {
            WriteError(ex, text);
            return null;
        }
    }
}
