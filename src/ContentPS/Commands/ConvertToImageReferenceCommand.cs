using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Parses image references and normalizes them as Docker does.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "ImageReference")]
[OutputType(typeof(ImageReferenceInfo))]
public sealed class ConvertToImageReferenceCommand : ContentPSCmdlet
{
    /// <summary>The references to parse (<c>ubuntu</c>, <c>ghcr.io/org/app:1.2@sha256:…</c>).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    public string[] Reference { get; set; } = [];

    /// <summary>Keeps a reference without tag or digest as it is instead of adding <c>:latest</c>.</summary>
    [Parameter]
    public SwitchParameter NoDefaultTag { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        foreach (string input in Reference)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                ImageReference parsed = ImageReference.Parse(input);
                WriteObject(new ImageReferenceInfo(NoDefaultTag ? parsed : parsed.WithDefaultTag()));
            }
            catch (ClassifiedException exception)
            {
                WriteError(exception, input);
            }
        }

        return Task.CompletedTask;
    }
}
