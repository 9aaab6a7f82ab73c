using System.Net.Http.Headers;
using System.Text;
using ContentPS.Engine.Remotes;

namespace ContentPS.Engine.Tests.Remotes.Http;

/// <summary>Always the same Authorization header; counts the challenges it is shown and answers them as told.</summary>
internal sealed class FixedAuthorizer(AuthenticationHeaderValue header, bool acceptChallenges = false) : IRegistryAuthorizer
{
    private int _challenges;

    public int Challenges => Volatile.Read(ref _challenges);

    public ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(RegistryHost host, AuthScope scope, CancellationToken cancellationToken) =>
        ValueTask.FromResult<AuthenticationHeaderValue?>(header);

    public ValueTask<bool> HandleChallengeAsync(RegistryHost host, AuthScope scope, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _challenges);
        return ValueTask.FromResult(acceptChallenges);
    }
}

/// <summary>Anonymous until a Basic challenge arrives, then the given user and password (a test double for the real authorizer).</summary>
internal sealed class BasicOnChallengeAuthorizer(string username, string password) : IRegistryAuthorizer
{
    private volatile AuthenticationHeaderValue? _header;

    public ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(RegistryHost host, AuthScope scope, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_header);

    public ValueTask<bool> HandleChallengeAsync(RegistryHost host, AuthScope scope, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (_header is not null || !response.Headers.WwwAuthenticate.Any(h => h.Scheme == "Basic"))
        {
            return ValueTask.FromResult(false);
        }

        _header = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        return ValueTask.FromResult(true);
    }
}

/// <summary>Anonymous, and a token endpoint that fails when a challenge comes (as the real authorizer reports it).</summary>
internal sealed class FailingAuthorizer(Exception failure) : IRegistryAuthorizer
{
    public ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(RegistryHost host, AuthScope scope, CancellationToken cancellationToken) =>
        ValueTask.FromResult<AuthenticationHeaderValue?>(null);

    public ValueTask<bool> HandleChallengeAsync(RegistryHost host, AuthScope scope, HttpResponseMessage response, CancellationToken cancellationToken) =>
        ValueTask.FromException<bool>(failure);
}
