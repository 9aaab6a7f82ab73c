using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Content.Leases;

/// <summary>
/// Creates, lists and removes the leases of one store (<c>&lt;root&gt;/contentps/leases/&lt;id&gt;/</c>, see
/// <see cref="Lease"/>). Keeps no state: instances in several processes see the same leases.
/// </summary>
public sealed class LeaseManager
{
    public LeaseManager(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        LeasesDirectory = LeaseFiles.DirectoryOf(Root);
    }

    /// <summary>The lease manager of <paramref name="store"/>'s root.</summary>
    public static LeaseManager Open(IContentStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new LeaseManager(store.Root);
    }

    public string Root { get; }

    public string LeasesDirectory { get; }

    /// <summary>
    /// Creates a lease held by this process. An id in use (alive or not yet collected) is AlreadyExists;
    /// a malformed id InvalidArgument (<c>InvalidLeaseId</c>); a label that is not valid InvalidArgument (<c>InvalidLabel</c>).
    /// </summary>
    public async Task<Lease> CreateAsync(LeaseOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LeaseOptions();
        var id = options.Id ?? LeaseFiles.NewId();
        LeaseFiles.ValidateId(id);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in options.Labels ?? new Dictionary<string, string>())
        {
            LabelValidation.Validate(key, value);
            labels[key] = value;
        }
        var createdAt = DateTimeOffset.UtcNow;
        if (options.Expiration is { } expiration)
        {
            if (expiration <= TimeSpan.Zero)
            {
                throw new InvalidArgumentException($"lease expiration {expiration} is not positive", ErrorIds.InvalidArgument) { Target = id };
            }
            labels[GcLabels.Expire] = (createdAt + expiration).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        }

        var directory = Path.Combine(LeasesDirectory, id);
        // Shared GC lock: a collection never sees a lease half made.
        using (await GcLock.AcquireSharedAsync(Root, cancellationToken).ConfigureAwait(false))
        {
            Directory.CreateDirectory(directory);
            var held = FileLock.TryAcquire(Path.Combine(directory, LeaseFiles.Lock)) ?? throw Exists(id);
            FileStream? resources = null;
            try
            {
                var metadata = Path.Combine(directory, LeaseFiles.Metadata);
                if (File.Exists(metadata)) throw Exists(id);
                resources = new FileStream(Path.Combine(directory, LeaseFiles.Resources), FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
                await AtomicFile.WriteAllBytesAsync(metadata, LeaseFiles.SerializeMetadata(id, createdAt, labels), cancellationToken).ConfigureAwait(false);
                return new Lease(Root, directory, id, createdAt, labels, held, resources);
            }
            catch
            {
                resources?.Dispose();
                held.Dispose();
                throw;
            }
        }
    }

    /// <summary>Every lease of the store, alive or not, by id.</summary>
    public Task<IReadOnlyList<LeaseInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var leases = new List<LeaseInfo>();
        foreach (var directory in LeaseDirectories())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (LeaseFiles.Read(directory) is { } lease) leases.Add(lease);
        }
        leases.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return Task.FromResult<IReadOnlyList<LeaseInfo>>(leases);
    }

    /// <summary>
    /// Removes the lease <paramref name="id"/> that no process holds any more (a crashed owner's): NotFound
    /// (<c>LeaseNotFound</c>) when there is none, Unavailable (<c>LeaseInUse</c>) while its owner holds it.
    /// An owner removes its own lease with <see cref="Lease.DeleteAsync"/>.
    /// </summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        LeaseFiles.ValidateId(id);
        var directory = Path.Combine(LeasesDirectory, id);
        if (!Directory.Exists(directory)) throw LeaseFiles.Gone(id);
        using (await GcLock.AcquireSharedAsync(Root, cancellationToken).ConfigureAwait(false))
        {
            using var held = FileLock.TryAcquire(Path.Combine(directory, LeaseFiles.Lock))
                ?? throw new UnavailableException($"lease {id} is held by a running process", ErrorIds.LeaseInUse) { Target = id };
            LeaseFiles.Remove(directory);
        }
    }

    /// <summary>The lease folders (not the <c>.trash-*</c> ones).</summary>
    internal IEnumerable<string> LeaseDirectories()
    {
        try
        {
            return Directory.EnumerateDirectories(LeasesDirectory).Where(d => !Path.GetFileName(d).StartsWith('.')).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private static AlreadyExistsException Exists(string id) =>
        new($"lease {id} already exists", ErrorIds.AlreadyExists) { Target = id };
}
