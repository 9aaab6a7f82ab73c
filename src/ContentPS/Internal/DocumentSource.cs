namespace ContentPS.Internal;

/// <summary>The values of <see cref="ImageDocumentInfo.Source"/>: where <c>Get-ImageManifest</c> read a document.</summary>
internal static class DocumentSource
{
    public const string Store = nameof(Store);

    public const string Registry = nameof(Registry);
}
