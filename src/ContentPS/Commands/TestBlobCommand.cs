using System.Management.Automation;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Tests that blobs are in the content store and that their content still hashes to their digest.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "Blob")]
[OutputType(typeof(bool))]
public sealed class TestBlobCommand : StoreCmdlet
{
    private const int BufferSize = 1 << 20;

    /// <summary>Digests of the blobs to test.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DigestCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Digest { get; set; } = [];

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        IContentStore? store = OpenExistingStore();
        foreach (string text in Digest)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Digest? digest = ParseDigestOrWriteError(text);
            if (digest is null) continue;
            if (store is null)
            {
                WriteVerbose($"{text}: there is no store at {ResolveStoreRoot()}.");
                WriteObject(false);
                continue;
            }

            try
            {
                using IContentReader reader = await store.OpenReaderAsync(digest, cancellationToken).ConfigureAwait(false);
                using var digester = new Digester(digest.Algorithm);
                var buffer = new byte[(int)Math.Clamp(reader.Size, 1, BufferSize)];
                long position = 0;
                while (true)
                {
                    int n = await reader.ReadAtAsync(buffer, position, cancellationToken).ConfigureAwait(false);
                    if (n == 0) break;
                    digester.Append(buffer.AsSpan(0, n));
                    position += n;
                }

                Digest actual = digester.Finish();
                if (actual == digest)
                {
                    WriteVerbose($"{text}: {position} bytes, digest verified.");
                    WriteObject(true);
                }
                else
                {
                    WriteVerbose($"{text}: corrupt: its {position} bytes hash to {actual}.");
                    WriteObject(false);
                }
            }
            catch (ClassifiedException ex) when (ex.Class == ErrorClass.NotFound)
            {
                WriteVerbose($"{text}: not in the store {store.Root}.");
                WriteObject(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                WriteError(ex, text);
            }
        }
    }
}
