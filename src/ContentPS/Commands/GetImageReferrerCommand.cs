using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Oci;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Lists the artifacts that refer to an image (signatures, SBOMs, attestations) through the registry's referrers API.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ImageReferrer")]
[OutputType(typeof(DescriptorInfo))]
public sealed class GetImageReferrerCommand : RegistryCmdlet
{
    /// <summary>The image whose referrers to list (<c>registry.example/app:v1</c> or <c>…@sha256:…</c>).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Reference { get; set; } = "";

    /// <summary>Only referrers of these artifact types (exact match); default: every referrer.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ArtifactType { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        string text = Reference;
        ImageReference? reference = ParseReferenceOrWriteError(text);
        if (reference is null) return;
        await ForItemAsync(text, async () =>
        {
            // A reference with a digest names the subject already; a tag costs one resolve.
            Digest subject = reference.Digest is { } digest
                ? Digest.Parse(digest)
                : (await Client.ResolveAsync(reference, cancellationToken).ConfigureAwait(false)).Descriptor.Digest;
            // The registry filters by one type at most (and may not filter at all): filter here too.
            string? serverFilter = ArtifactType is { Length: 1 } ? ArtifactType[0] : null;
            await foreach (Descriptor referrer in Client.ListReferrersAsync(reference, subject, serverFilter, cancellationToken).ConfigureAwait(false))
            {
                if (ArtifactType is null || ArtifactType.Contains(referrer.ArtifactType, StringComparer.Ordinal))
                {
                    WriteObject(new DescriptorInfo(referrer, reference));
                }
            }
        }).ConfigureAwait(false);
    }
}
