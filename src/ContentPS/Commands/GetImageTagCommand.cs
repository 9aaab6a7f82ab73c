using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Lists the tags of a repository on its registry, all of them, as they arrive.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ImageTag")]
[OutputType(typeof(ImageTagInfo))]
public sealed class GetImageTagCommand : RegistryCmdlet
{
    /// <summary>The repository: registry host and path without tag or digest (<c>registry.example/team/app</c>, <c>alpine</c>).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RegistryHostCompleter))]
    [ValidateNotNullOrEmpty]
    public string Repository { get; set; } = "";

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        string text = Repository;
        ImageReference repository;
        try
        {
            repository = ParseRepository(text);
        }
        catch (ClassifiedException ex)
        {
            WriteError(ex, text);
            return;
        }

        await ForItemAsync(text, async () =>
        {
            await foreach (string tag in Client.ListTagsAsync(repository, null, cancellationToken).ConfigureAwait(false))
            {
                WriteObject(new ImageTagInfo(repository.FullName, tag));
            }
        }).ConfigureAwait(false);
    }

    /// <summary>A repository name: a reference without tag or digest (those would be ignored silently otherwise).</summary>
    private static ImageReference ParseRepository(string text)
    {
        ImageReference parsed = ImageReference.Parse(text);
        if (parsed.Tag is not null || parsed.Digest is not null)
        {
            throw new InvalidArgumentException(
                $"-Repository \"{text}\" names a {(parsed.Digest is not null ? "digest" : "tag")}; give the repository only ({parsed.FullName})",
                ErrorIds.InvalidReference) { Target = text };
        }

        return parsed;
    }
}
