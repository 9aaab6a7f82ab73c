using System.Text;

namespace ContentPS.TestFixtures;

/// <summary>
/// A second docker-registry in proxy mode: a pull-through cache of an upstream registry. It serves
/// pulls anonymously (fetching from the upstream with the upstream's credentials, if any, and storing
/// what it fetched under its own <see cref="RootDirectory"/>) and refuses pushes with
/// 405 <c>UNSUPPORTED</c>. docker-registry 2.8 hands credentials only to a bearer-token upstream (it
/// keys them by the token realm), so an upstream that asks for Basic auth cannot be mirrored: starting
/// such a mirror throws instead of giving one that answers 404 to everything.
/// </summary>
public sealed partial class RegistryFixture
{
    /// <summary>The registry this one mirrors; null for an ordinary registry.</summary>
    public Uri? UpstreamUri { get; private set; }

    /// <summary>Starts a mirror of <paramref name="upstream"/> (which must be running: the mirror asks it for its auth challenge at start).</summary>
    public static Task<RegistryFixture> StartMirrorAsync(RegistryFixture upstream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return StartMirrorAsync(upstream.BaseUri, upstream.Username, upstream.Password, cancellationToken);
    }

    /// <summary>Starts a mirror of the registry at <paramref name="upstream"/>, logging in there with <paramref name="username"/> and <paramref name="password"/> when given.</summary>
    public static async Task<RegistryFixture> StartMirrorAsync(Uri upstream, string? username = null, string? password = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        if (!upstream.IsAbsoluteUri || (upstream.Scheme != Uri.UriSchemeHttp && upstream.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The upstream must be an http or https URL, not '{upstream}'.", nameof(upstream));
        }

        if ((username is null) != (password is null))
        {
            throw new ArgumentException("Give both the upstream user name and password, or neither.", nameof(password));
        }

        await RefuseBasicOnlyUpstreamAsync(upstream, cancellationToken).ConfigureAwait(false);
        var registry = await RegistryInstaller.EnsureInstalledAsync(cancellationToken).ConfigureAwait(false);
        var workDirectory = Directory.CreateTempSubdirectory("contentps-mirror-").FullName;
        try
        {
            var storage = Path.Combine(workDirectory, "storage");
            Directory.CreateDirectory(storage);
            var fixture = await LaunchAsync(registry, RegistryFlavor.Plain, workDirectory, (configPath, port) =>
            {
                RegistryConfigFile.Write(configPath, port, storage, htpasswdPath: null);
                File.AppendAllText(configPath, ProxySection(upstream, username, password));
            }, cancellationToken).ConfigureAwait(false);
            fixture.UpstreamUri = upstream;
            return fixture;
        }
        catch
        {
            DeleteQuietly(workDirectory);
            throw;
        }
    }

    private static async Task RefuseBasicOnlyUpstreamAsync(Uri upstream, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(new Uri(upstream, "/v2/"), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            // docker-registry itself reports an upstream it cannot reach, with its stderr.
            return;
        }

        using (response)
        {
            var schemes = response.Headers.WwwAuthenticate.Select(c => c.Scheme).ToArray();
            if (schemes.Length > 0 && !schemes.Contains("Bearer", StringComparer.OrdinalIgnoreCase))
            {
                throw new FixtureException(
                    $"The registry at {upstream} asks for {string.Join(", ", schemes)} auth; docker-registry 2.8 in proxy mode logs in only to a "
                    + "bearer-token upstream, so it cannot mirror this one. Mirror a plain or token-auth registry.");
            }
        }
    }

    // docker-registry 2.8 turns into a pull-through cache when its config has a proxy section.
    private static string ProxySection(Uri upstream, string? username, string? password)
    {
        var yaml = new StringBuilder()
            .AppendLine("proxy:")
            .AppendLine($"  remoteurl: {YamlQuote(upstream.GetLeftPart(UriPartial.Authority))}");
        if (username is not null && password is not null)
        {
            yaml.AppendLine($"  username: {YamlQuote(username)}")
                .AppendLine($"  password: {YamlQuote(password)}");
        }

        return yaml.ToString();
    }

    private static string YamlQuote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
