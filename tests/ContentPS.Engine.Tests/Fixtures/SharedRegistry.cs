using System.Collections.Concurrent;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Fixtures;

/// <summary>
/// One registry per flavor for every test in <see cref="RegistryCollection"/>, started on first use
/// and stopped when the collection is done. Tests use their own repository names.
/// </summary>
public sealed class SharedRegistry : IAsyncLifetime
{
    private readonly ConcurrentDictionary<RegistryFlavor, Lazy<Task<RegistryFixture>>> _registries = new();

    public Task<RegistryFixture> GetAsync(RegistryFlavor flavor = RegistryFlavor.Plain) =>
        _registries.GetOrAdd(flavor, f => new Lazy<Task<RegistryFixture>>(() => RegistryFixture.StartAsync(f))).Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var registry in _registries.Values.Where(r => r.IsValueCreated))
        {
            if (registry.Value.IsCompletedSuccessfully)
            {
                await registry.Value.Result.DisposeAsync();
            }
        }
    }
}
