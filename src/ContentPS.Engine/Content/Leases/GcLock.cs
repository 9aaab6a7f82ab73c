using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Content.Leases;

/// <summary>
/// The store-wide garbage-collection lock, <c>&lt;root&gt;/contentps/gc.lock</c>: the collector holds it
/// exclusively from before it reads the leases until its sweep ends; lease changes (create, add) hold it
/// shared for the instant they take. On Unix .NET maps <see cref="FileShare.None"/> to an exclusive flock(2)
/// and any other share to a shared one; on Windows share modes give the same exclusion. The OS drops the lock
/// when a holder dies.
/// </summary>
internal sealed class GcLock : IDisposable
{
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(50);

    private readonly FileStream _stream;

    private GcLock(FileStream stream) => _stream = stream;

    public static string PathFor(string root) => Path.Combine(root, StoreLayout.MetadataDirectoryName, "gc.lock");

    /// <summary>Shared: many lease writers at once, never while a collection runs.</summary>
    public static Task<GcLock> AcquireSharedAsync(string root, CancellationToken cancellationToken) =>
        AcquireAsync(root, exclusive: false, cancellationToken);

    /// <summary>Exclusive: no lease is created or extended while it is held.</summary>
    public static Task<GcLock> AcquireExclusiveAsync(string root, CancellationToken cancellationToken) =>
        AcquireAsync(root, exclusive: true, cancellationToken);

    private static async Task<GcLock> AcquireAsync(string root, bool exclusive, CancellationToken cancellationToken)
    {
        var path = PathFor(root);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var delay = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            try
            {
                var stream = exclusive
                    ? new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None)
                    : new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.None);
                return new GcLock(stream);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Held the other way by someone else: poll.
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new PermissionDeniedException($"store {root}: cannot open {path}: {ex.Message}", ErrorIds.StoreAccessDenied, ex) { Target = path };
            }
            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex)
            {
                throw new CanceledException($"canceled while waiting for the garbage-collection lock {path}", ErrorIds.OperationCanceled, ex) { Target = path };
            }
            delay = delay * 2 > MaxPoll ? MaxPoll : delay * 2;
        }
    }

    public void Dispose() => _stream.Dispose();
}
