using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;

namespace ContentPS.TestFixtures.Cli;

/// <summary>
/// labels-set --store ROOT --digest D --key K --value V [--count N] [--go-file PATH]: sets label K (N = 1)
/// or labels K0…K(N-1) one update at a time through <see cref="FileLabelStore"/>.
/// </summary>
internal static class LabelsSetCommand
{
    public static async Task<int> RunAsync(CliArguments arguments)
    {
        var store = new FileLabelStore(arguments.Required("store"));
        var digest = Digest.Parse(arguments.Required("digest"));
        var key = arguments.Required("key");
        var value = arguments.Required("value");
        var count = arguments.OptionalInt64("count") ?? 1;
        await StartSignal.WaitAsync(arguments).ConfigureAwait(false);
        for (var i = 0; i < count; i++)
        {
            var name = count == 1 ? key : key + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await store.UpdateAsync(digest, new Dictionary<string, string> { [name] = value }, ["labels." + name]).ConfigureAwait(false);
        }
        return 0;
    }
}
