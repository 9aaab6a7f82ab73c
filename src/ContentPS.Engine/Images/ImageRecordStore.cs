using System.Text;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Filters;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images;

/// <summary>
/// The image records of a store: the descriptors of <c>&lt;root&gt;/index.json</c> annotated with
/// <c>org.opencontainers.image.ref.name</c> (see <see cref="ImageName"/>). Every change takes the store-wide
/// OS file lock <c>&lt;root&gt;/contentps/index.lock</c> (shared by every process, released by the OS when
/// a holder dies), re-reads index.json, edits it and replaces it atomically (<see cref="AtomicFile"/>),
/// so no reader sees a torn file and no change is lost. Readers take no lock.
/// Everything else in index.json is kept as it is: unknown fields, descriptors without a ref name and
/// entries that are not readable descriptors (those are never listed). A missing index.json is an empty
/// one; the first change writes it, and <c>oci-layout</c> when that is missing, so the root stays an OCI
/// image layout that skopeo and umoci read.
/// </summary>
public sealed class ImageRecordStore
{
    public ImageRecordStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        IndexPath = Path.Combine(Root, ImageLayout.IndexFileName);
        LockPath = Path.Combine(Root, "contentps", "index.lock");
    }

    public string Root { get; }

    /// <summary><c>&lt;root&gt;/index.json</c>.</summary>
    public string IndexPath { get; }

    /// <summary><c>&lt;root&gt;/contentps/index.lock</c>, the store-wide lock every change takes.</summary>
    public string LockPath { get; }

    /// <summary>
    /// The records in index order that match <paramref name="filters"/> (containerd's syntax, see
    /// <see cref="Filter"/>; the fields are those of <see cref="ImageFieldAdaptor"/>). A malformed filter is
    /// InvalidArgument (<c>InvalidFilter</c>).
    /// </summary>
    public async Task<IReadOnlyList<ImageRecord>> ListAsync(IReadOnlyList<string>? filters = null, CancellationToken cancellationToken = default)
    {
        var filter = Filter.Parse(filters);
        var document = await IndexDocument.ReadAsync(IndexPath, cancellationToken).ConfigureAwait(false);
        var records = new List<ImageRecord>();
        foreach (var (record, _) in Records(document))
        {
            if (filter.Match(new ImageFieldAdaptor(record))) records.Add(record);
        }
        return records;
    }

    /// <summary>The record named <paramref name="name"/> (the first, should index.json hold several); NotFound (<c>ImageNotFound</c>) when there is none.</summary>
    public async Task<ImageRecord> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        ImageName.Validate(name);
        var document = await IndexDocument.ReadAsync(IndexPath, cancellationToken).ConfigureAwait(false);
        return Find(document, name)?.Record ?? throw NotFound(name);
    }

    /// <summary>
    /// Adds a record. When the name exists with the same target (digest, media type and size) this is a
    /// no-op that returns the existing record; with another target it is AlreadyExists (<c>ImageExists</c>).
    /// </summary>
    public Task<ImageRecord> CreateAsync(string name, Descriptor target, CancellationToken cancellationToken = default)
    {
        var stored = Prepare(name, target);
        return ChangeAsync(document =>
        {
            if (Find(document, name) is { } existing)
            {
                if (SameTarget(existing.Record.Target, stored)) return (existing.Record, false);
                throw new AlreadyExistsException(
                    $"image \"{name}\" already exists with target {existing.Record.Target.Digest} ({existing.Record.Target.MediaType})",
                    ErrorIds.ImageExists) { Target = name };
            }
            document.Manifests.Add(IndexDocument.ToNode(stored));
            return (new ImageRecord(name, stored), true);
        }, cancellationToken);
    }

    /// <summary>Creates the record or replaces its target (in place; further entries with the same name are removed).</summary>
    public Task<ImageRecord> SetAsync(string name, Descriptor target, CancellationToken cancellationToken = default)
    {
        var stored = Prepare(name, target);
        return ChangeAsync(document =>
        {
            var node = IndexDocument.ToNode(stored);
            var first = RemoveAll(document, name);
            if (first < 0) document.Manifests.Add(node);
            else document.Manifests.Insert(first, node);
            return (new ImageRecord(name, stored), true);
        }, cancellationToken);
    }

    /// <summary>Removes every entry named <paramref name="name"/>; NotFound (<c>ImageNotFound</c>) when there is none.</summary>
    public Task DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        ImageName.Validate(name);
        return ChangeAsync(document =>
        {
            if (RemoveAll(document, name) < 0) throw NotFound(name);
            return (true, true);
        }, cancellationToken);
    }

    private static Descriptor Prepare(string name, Descriptor target)
    {
        ImageName.Validate(name);
        ArgumentNullException.ThrowIfNull(target);
        target.Validate();
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (target.Annotations is not null)
        {
            foreach (var (key, value) in target.Annotations) annotations[key] = value;
        }
        annotations[AnnotationKeys.RefName] = name;
        return new Descriptor
        {
            MediaType = target.MediaType,
            Digest = target.Digest,
            Size = target.Size,
            Urls = target.Urls,
            Annotations = annotations,
            Platform = target.Platform,
            ArtifactType = target.ArtifactType,
            Data = target.Data,
        };
    }

    private static bool SameTarget(Descriptor a, Descriptor b) =>
        a.Digest.Equals(b.Digest) && a.Size == b.Size && string.Equals(a.MediaType, b.MediaType, StringComparison.Ordinal);

    private static IEnumerable<(ImageRecord Record, int Index)> Records(IndexDocument document)
    {
        for (var i = 0; i < document.Manifests.Count; i++)
        {
            var entry = document.Manifests[i];
            if (IndexDocument.RefNameOf(entry) is not { } name) continue;
            if (IndexDocument.DescriptorOf(entry) is not { } descriptor) continue;
            yield return (new ImageRecord(name, descriptor), i);
        }
    }

    private static (ImageRecord Record, int Index)? Find(IndexDocument document, string name)
    {
        foreach (var found in Records(document))
        {
            if (string.Equals(found.Record.Name, name, StringComparison.Ordinal)) return found;
        }
        return null;
    }

    /// <summary>Removes every entry with that ref name (readable descriptor or not); returns the first one's index, or -1.</summary>
    private static int RemoveAll(IndexDocument document, string name)
    {
        var first = -1;
        for (var i = document.Manifests.Count - 1; i >= 0; i--)
        {
            if (string.Equals(IndexDocument.RefNameOf(document.Manifests[i]), name, StringComparison.Ordinal))
            {
                document.Manifests.RemoveAt(i);
                first = i;
            }
        }
        return first;
    }

    private async Task<T> ChangeAsync<T>(Func<IndexDocument, (T Result, bool Changed)> edit, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        using var held = await FileLock.AcquireAsync(LockPath, cancellationToken).ConfigureAwait(false);
        var document = await IndexDocument.ReadAsync(IndexPath, cancellationToken).ConfigureAwait(false);
        var (result, changed) = edit(document);
        if (!changed) return result;
        var layoutPath = Path.Combine(Root, ImageLayout.LayoutFileName);
        if (!File.Exists(layoutPath))
        {
            await AtomicFile.WriteAllBytesAsync(layoutPath, Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"" + ImageLayout.CurrentVersion + "\"}"), cancellationToken).ConfigureAwait(false);
        }
        await AtomicFile.WriteAllBytesAsync(IndexPath, document.ToBytes(), cancellationToken).ConfigureAwait(false);
        return result;
    }

    private static NotFoundException NotFound(string name) =>
        new($"image \"{name}\" not found", ErrorIds.ImageNotFound) { Target = name };
}
