using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Tests whether platforms can run on (or exactly match) a given platform.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ImagePlatform")]
[OutputType(typeof(bool))]
public sealed class TestImagePlatformCommand : ContentPSCmdlet
{
    private IPlatformMatcher? _matcher;

    /// <summary>The platform that runs the images (<c>linux/arm64</c>).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    public string Platform { get; set; } = "";

    /// <summary>The platforms to test against <see cref="Platform"/>.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    public string[] Candidate { get; set; } = [];

    /// <summary>Matches only the platform itself, without the compatible fallbacks.</summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        Platform platform;
        try
        {
            platform = Platforms.Parse(Platform);
        }
        catch (ClassifiedException exception)
        {
            // Nothing can be matched against an invalid platform.
            ThrowTerminatingError(exception, Platform);
            return Task.CompletedTask;
        }

        _matcher = Strict ? Platforms.OnlyStrict(platform) : Platforms.Only(platform);
        return Task.CompletedTask;
    }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        IPlatformMatcher matcher = _matcher ?? throw new InvalidOperationException("BeginProcessing did not run.");
        foreach (string input in Candidate)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                WriteObject(matcher.Match(Platforms.Parse(input)));
            }
            catch (ClassifiedException exception)
            {
                WriteError(exception, input);
            }
        }

        return Task.CompletedTask;
    }
}
