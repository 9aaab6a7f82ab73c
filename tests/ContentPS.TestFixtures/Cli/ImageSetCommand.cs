using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;

namespace ContentPS.TestFixtures.Cli;

/// <summary>
/// image-set --store ROOT --name N --digest D [--media-type M] [--size S] [--count C] [--go-file PATH]:
/// sets image record N (C = 1) or N0…N(C-1), one change each, through <see cref="ImageRecordStore"/>.
/// </summary>
internal static class ImageSetCommand
{
    public static async Task<int> RunAsync(CliArguments arguments)
    {
        var store = new ImageRecordStore(arguments.Required("store"));
        var name = arguments.Required("name");
        var target = new Descriptor
        {
            MediaType = arguments.Optional("media-type") ?? MediaTypes.OciManifest,
            Digest = Digest.Parse(arguments.Required("digest")),
            Size = arguments.OptionalInt64("size") ?? 0,
        };
        var count = arguments.OptionalInt64("count") ?? 1;
        await StartSignal.WaitAsync(arguments).ConfigureAwait(false);
        for (var i = 0; i < count; i++)
        {
            await store.SetAsync(count == 1 ? name : name + i.ToString(System.Globalization.CultureInfo.InvariantCulture), target).ConfigureAwait(false);
        }
        return 0;
    }
}
