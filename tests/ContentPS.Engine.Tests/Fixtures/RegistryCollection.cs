namespace ContentPS.Engine.Tests.Fixtures;

/// <summary>Tests marked [Collection(RegistryCollection.Name)] share one <see cref="SharedRegistry"/>.</summary>
[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<SharedRegistry>
{
    public const string Name = "Registry";
}
