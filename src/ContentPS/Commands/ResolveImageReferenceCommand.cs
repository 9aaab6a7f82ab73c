using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Asks the registry which index or manifest a reference names: its digest, media type and size.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Resolve, "ImageReference")]
[OutputType(typeof(ResolvedReferenceInfo))]
public sealed class ResolveImageReferenceCommand : RegistryCmdlet
{
    /// <summary>The references to resolve (<c>registry.example/app:v1</c>, <c>alpine</c>, <c>repo@sha256:…</c>).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    public string[] Reference { get; set; } = [];

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        foreach (string text in Reference)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ImageReference? reference = ParseReferenceOrWriteError(text);
            if (reference is null) continue;
            await ForItemAsync(text, async () =>
            {
                ResolvedImage resolved = await Client.ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
                WriteObject(new ResolvedReferenceInfo(resolved));
            }).ConfigureAwait(false);
        }
    }
}
