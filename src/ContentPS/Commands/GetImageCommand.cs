using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Gets the image records of the content store: name, target digest, media type and size.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "Image")]
[OutputType(typeof(ImageInfo))]
public sealed class GetImageCommand : StoreCmdlet
{
    /// <summary>Names of the records to get; wildcards match the record names. Without it, every record.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        IContentStore? store = OpenExistingStore();
        IReadOnlyList<ImageRecord> records = [];
        if (store is not null)
        {
            try
            {
                records = await new ImageRecordStore(store.Root).ListAsync(null, cancellationToken).ConfigureAwait(false);
            }
            catch (ClassifiedException ex) when (ex.Class != ErrorClass.Canceled)
            {
                ThrowTerminatingError(ex, store.Root);
            }
        }

        if (Name is null)
        {
            foreach (ImageRecord record in records) WriteObject(new ImageInfo(record, store!.Root));
            return;
        }

        foreach (string text in Name)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (WildcardPattern.ContainsWildcardCharacters(text))
            {
                var pattern = new WildcardPattern(text, WildcardOptions.IgnoreCase);
                foreach (ImageRecord record in records.Where(record => pattern.IsMatch(record.Name)))
                {
                    WriteObject(new ImageInfo(record, store!.Root));
                }

                continue;
            }

            ImageRecord? found = records.FirstOrDefault(record => string.Equals(record.Name, text, StringComparison.Ordinal));
            if (found is null)
            {
                WriteError(new NotFoundException($"image \"{text}\" not found in the store {ResolveStoreRoot()}", ErrorIds.ImageNotFound) { Target = text }, text);
                continue;
            }

            WriteObject(new ImageInfo(found, store!.Root));
        }
    }
}
