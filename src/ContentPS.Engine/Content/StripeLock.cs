using System.Collections.Concurrent;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Content;

/// <summary>
/// A <see cref="FileLock"/> shared by many keys (a stripe). flock(2) refuses a second holder in the same
/// process just as in another one, so threads of this process first queue on an in-memory gate per lock
/// file and only then take the file lock, which then waits for other processes only.
/// </summary>
internal sealed class StripeLock : IDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _gate;
    private readonly FileLock _file;
    private bool _disposed;

    private StripeLock(SemaphoreSlim gate, FileLock file)
    {
        _gate = gate;
        _file = file;
    }

    /// <summary>Waits for the lock on <paramref name="path"/>, creating its folder and file when missing.</summary>
    public static async Task<StripeLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var gate = Gates.GetOrAdd(Path.GetFullPath(path), _ => new SemaphoreSlim(1, 1));
        try
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            throw new CanceledException($"canceled while waiting for the lock {path}", ErrorIds.OperationCanceled, ex) { Target = path };
        }
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new StripeLock(gate, await FileLock.AcquireAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _file.Dispose();
        _gate.Release();
    }
}
