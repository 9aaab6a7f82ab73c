using System.Management.Automation;
using System.Text;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Reads the content of a blob, verified against its digest, as a string, as bytes or into a file.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "BlobContent", DefaultParameterSetName = AsStringSet)]
[OutputType(typeof(string), ParameterSetName = [AsStringSet])]
[OutputType(typeof(byte[]), ParameterSetName = [AsByteStreamSet])]
[OutputType(typeof(System.IO.FileInfo), ParameterSetName = [PathSet])]
public sealed class GetBlobContentCommand : StoreCmdlet
{
    private const string AsStringSet = "AsString";
    private const string AsByteStreamSet = "AsByteStream";
    private const string PathSet = "Path";
    private const int BufferSize = 1 << 20;

    /// <summary>The digest of the blob to read.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DigestCompleter))]
    [ValidateNotNullOrEmpty]
    public string Digest { get; set; } = "";

    /// <summary>Writes the content into this file (replacing it) instead of the pipeline.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Writes the content as one byte array.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AsByteStreamSet)]
    public SwitchParameter AsByteStream { get; set; }

    /// <summary>Writes the content as one string, decoded as UTF-8 (the default).</summary>
    [Parameter(ParameterSetName = AsStringSet)]
    public SwitchParameter AsString { get; set; }

    /// <summary>With -Path, writes the file's FileInfo.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        Digest? digest = ParseDigestOrWriteError(Digest);
        if (digest is null) return;
        IContentStore? store = OpenExistingStore();
        if (store is null)
        {
            WriteError(NoSuchBlob(digest), Digest);
            return;
        }

        string? target = null;
        try
        {
            if (ParameterSetName == PathSet)
            {
                target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
                if (Directory.Exists(target))
                {
                    throw new InvalidArgumentException($"{target} is a directory; -Path names the file to write", ErrorIds.PathIsDirectory) { Target = target };
                }
            }

            using IContentReader reader = await store.OpenReaderAsync(digest, cancellationToken).ConfigureAwait(false);
            if (target is not null)
            {
                await SaveAsync(reader, digest, target, cancellationToken).ConfigureAwait(false);
                if (PassThru) WriteObject(new FileInfo(target));
                return;
            }

            if (reader.Size > Array.MaxLength)
            {
                throw new ResourceExhaustedException($"content {digest} holds {reader.Size} bytes, too many for memory; use -Path", ErrorIds.ResourceExhausted) { Target = Digest };
            }

            var content = new byte[reader.Size];
            long read = 0;
            while (read < content.Length)
            {
                int n = await reader.ReadAtAsync(content.AsMemory((int)read), read, cancellationToken).ConfigureAwait(false);
                if (n == 0) break;
                read += n;
            }

            Verify(digest, Engine.Oci.Digest.FromBytes(content.AsSpan(0, (int)read), digest.Algorithm));
            if (ParameterSetName == AsByteStreamSet)
            {
                WriteObject(content, enumerateCollection: false);
            }
            else
            {
                using var text = new StreamReader(new MemoryStream(content), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
                WriteObject(await text.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            WriteError(ex, Errors.Resolve(ex) == ErrorClass.NotFound || target is null ? Digest : target);
        }
    }

    /// <summary>Copies into a temporary file beside <paramref name="target"/>, verifies, then renames: no half-written file, ever.</summary>
    private static async Task SaveAsync(IContentReader reader, Digest digest, string target, CancellationToken cancellationToken)
    {
        string directory = System.IO.Path.GetDirectoryName(target) ?? ".";
        if (!Directory.Exists(directory))
        {
            throw new NotFoundException($"cannot write {target}: the folder {directory} does not exist", ErrorIds.PathNotFound) { Target = target };
        }

        string temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using var digester = new Digester(digest.Algorithm);
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
            {
                var buffer = new byte[(int)Math.Clamp(reader.Size, 1, BufferSize)];
                long position = 0;
                while (true)
                {
                    int n = await reader.ReadAtAsync(buffer, position, cancellationToken).ConfigureAwait(false);
                    if (n == 0) break;
                    digester.Append(buffer.AsSpan(0, n));
                    await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    position += n;
                }
            }

            Verify(digest, digester.Finish());
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static void Verify(Digest expected, Digest actual)
    {
        if (expected != actual)
        {
            throw new DataLossException(
                $"content {expected} is corrupt: its bytes hash to {actual}; remove it (Remove-Blob) and fetch it again",
                ErrorIds.BlobCorrupt) { Target = expected.ToString() };
        }
    }
}
