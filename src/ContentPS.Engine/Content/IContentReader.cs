namespace ContentPS.Engine.Content;

/// <summary>Random access to one committed blob of known size (containerd's content.ReaderAt).</summary>
public interface IContentReader : IAsyncDisposable, IDisposable
{
    long Size { get; }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>; 0 at or past the end.</summary>
    ValueTask<int> ReadAtAsync(Memory<byte> buffer, long offset, CancellationToken cancellationToken = default);

    /// <summary>A new read-only, seekable stream over the content, positioned at 0; disposing it does not close the reader.</summary>
    Stream AsStream();
}
