using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Parses platform specifiers and normalizes them as containerd does.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "ImagePlatform", DefaultParameterSetName = PlatformSet)]
[OutputType(typeof(ImagePlatformInfo))]
public sealed class ConvertToImagePlatformCommand : ContentPSCmdlet
{
    private const string PlatformSet = "Platform";
    private const string DefaultSet = "Default";

    /// <summary>The platforms to parse (<c>linux/arm64</c>, <c>aarch64</c>, <c>windows/amd64</c>).</summary>
    [Parameter(ParameterSetName = PlatformSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    public string[] Platform { get; set; } = [];

    /// <summary>Writes the platform of this machine instead.</summary>
    [Parameter(ParameterSetName = DefaultSet, Mandatory = true)]
    public SwitchParameter Default { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        if (ParameterSetName == DefaultSet)
        {
            WriteObject(new ImagePlatformInfo(Platforms.Normalize(Platforms.Default())));
            return Task.CompletedTask;
        }

        foreach (string input in Platform)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                WriteObject(new ImagePlatformInfo(Platforms.Normalize(Platforms.Parse(input))));
            }
            catch (ClassifiedException exception)
            {
                WriteError(exception, input);
            }
        }

        return Task.CompletedTask;
    }
}
