namespace ContentPS.TestFixtures;

/// <summary>The token-auth flavour: the fixture's own token server (see <see cref="TokenServer"/>).</summary>
public sealed partial class RegistryFixture
{
    private TokenServer? _tokenServer;

    /// <summary>The token server of a <see cref="RegistryFlavor.Token"/> registry (settings such as <see cref="TokenServer.RefusePostWith"/>); null for other flavours.</summary>
    public TokenServer? TokenServer => _tokenServer;

    /// <summary>The realm the registry's Bearer challenges name; null unless the flavour is <see cref="RegistryFlavor.Token"/>.</summary>
    public Uri? TokenRealm => _tokenServer?.Realm;

    /// <summary>Every request the token server answered so far (empty for other flavours).</summary>
    public IReadOnlyList<TokenRequestRecord> TokenRequests => _tokenServer?.Requests ?? [];

    private static TokenServer? StartTokenServer(RegistryFlavor flavor) =>
        flavor == RegistryFlavor.Token ? TokenServer.Start() : null;

    // Fixture clients with credentials follow Bearer challenges; without, they see the registry's own answer.
    private HttpMessageHandler CreateFixtureHandler(bool withCredentials) =>
        withCredentials && Flavor == RegistryFlavor.Token ? new TokenChallengeHandler(Username, Password) : new SocketsHttpHandler();
}
