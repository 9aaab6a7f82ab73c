using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Content;

/// <summary>
/// An exclusive OS-level lock on a file, shared by every process on the machine and released by the OS
/// when its holder dies. On Unix .NET implements <see cref="FileShare.None"/> with flock(2), which is
/// per open file, so a second holder in the same process is refused too.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    /// <summary>Takes the lock or returns null at once when another holder has it.</summary>
    public static FileLock? TryAcquire(string path)
    {
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            return new FileLock(path, stream);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    /// <summary>Waits for the lock, polling with backoff, until <paramref name="cancellationToken"/> fires.</summary>
    public static async Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken = default)
    {
        var delay = TimeSpan.FromMilliseconds(2);
        while (true)
        {
            if (TryAcquire(path) is { } taken) return taken;
            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex)
            {
                throw new CanceledException($"canceled while waiting for the lock {path}", ErrorIds.OperationCanceled, ex) { Target = path };
            }
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 100));
        }
    }

    public void Dispose() => _stream.Dispose();
}
