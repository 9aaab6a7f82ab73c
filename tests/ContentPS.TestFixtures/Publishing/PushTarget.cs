namespace ContentPS.TestFixtures;

/// <summary>Where <see cref="LayoutPublisher"/> pushes: a registry host, a repository and tag, optional basic credentials.</summary>
public sealed record PushTarget(string Host, string Repository, string Tag, string? Username = null, string? Password = null)
{
    public static PushTarget For(RegistryFixture registry, string repository, string tag) =>
        new(registry.Host, repository, tag, registry.Username, registry.Password);

    public string Reference => $"{Host}/{Repository}:{Tag}";
}
