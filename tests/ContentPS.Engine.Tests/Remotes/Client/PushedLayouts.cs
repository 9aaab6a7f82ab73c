using System.Collections.Concurrent;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Client;

/// <summary>
/// Each layout scenario pushed once per registry for the tests that only read it
/// (<c>client/layouts-&lt;scenario&gt;:v1</c>); tests that change a repository use their own.
/// </summary>
public static class PushedLayouts
{
    public const string Tag = "v1";

    private static readonly ConcurrentDictionary<(string Host, LayoutScenario Scenario), Lazy<Task<PushedLayout>>> s_pushed = new();
    private static readonly TempDirectory s_directory = CreateDirectory();

    public static Task<PushedLayout> GetAsync(RegistryFixture registry, LayoutScenario scenario) =>
        s_pushed.GetOrAdd((registry.Host, scenario), key => new Lazy<Task<PushedLayout>>(() => PushAsync(registry, key.Scenario))).Value;

    /// <summary>Writes a layout and pushes it to <paramref name="repository"/> with skopeo (an artifact's subject first, tagged <c>subject</c>).</summary>
    public static async Task<LayoutResult> PushNewAsync(RegistryFixture registry, LayoutScenario scenario, string repository, string tag, LayoutOptions? options = null)
    {
        var layout = ImageLayouts.Create(scenario, s_directory.Combine(Guid.NewGuid().ToString("N")), options);
        if (scenario == LayoutScenario.Artifact)
        {
            await registry.PushLayoutAsync(layout.Directory, layout.RefName + "-subject", repository, "subject");
        }

        await registry.PushLayoutAsync(layout.Directory, layout.RefName, repository, tag);
        return layout;
    }

    private static async Task<PushedLayout> PushAsync(RegistryFixture registry, LayoutScenario scenario)
    {
        var repository = "client/layouts-" + scenario.ToString().ToLowerInvariant();
        var layout = await PushNewAsync(registry, scenario, repository, Tag);
        return new PushedLayout(layout, repository, registry.Host);
    }

    private static TempDirectory CreateDirectory()
    {
        var directory = new TempDirectory();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => directory.Dispose();
        return directory;
    }
}

public sealed record PushedLayout(LayoutResult Layout, string Repository, string Host)
{
    /// <summary>The repository as the client takes it (<c>host/client/layouts-…</c>).</summary>
    public Engine.Oci.ImageReference Reference => Engine.Oci.ImageReference.Parse($"{Host}/{Repository}");

    public byte[] Bytes(LayoutBlob blob) => File.ReadAllBytes(FixtureTools.BlobPath(Layout, blob));
}
