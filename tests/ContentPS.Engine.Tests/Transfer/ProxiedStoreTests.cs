using ContentPS.Engine.Content;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Tests.Remotes.Client;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Transfer;

/// <summary>
/// What every transfer test starts from: the shared Plain registry, a fault proxy in front of it
/// (to count requests and inject faults), a recording registry client and a fresh local store.
/// </summary>
public abstract class ProxiedStoreTests(SharedRegistry shared) : IAsyncLifetime
{
    protected TestRegistryClient Client { get; } = new();

    protected TempDirectory Temp { get; } = new();

    protected RegistryFixture Registry { get; private set; } = null!;

    protected FaultProxy Proxy { get; private set; } = null!;

    protected LocalContentStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Registry = await shared.GetAsync();
        Proxy = await FaultProxy.StartAsync(Registry.BaseUri);
        Store = LocalContentStore.Open(Temp.Combine("store"));
    }

    public async Task DisposeAsync()
    {
        await Proxy.DisposeAsync();
        Client.Dispose();
        Temp.Dispose();
    }
}
