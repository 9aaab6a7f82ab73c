using System.Collections.Concurrent;

namespace ContentPS.Engine.Remotes.Auth;

/// <summary>What challenges taught about one registry host: its scheme, its Bearer realm and service, scopes widened by <c>insufficient_scope</c>.</summary>
internal sealed class HostAuthState
{
    private readonly ConcurrentDictionary<AuthScope, AuthScope> _widened = new();
    private volatile AuthChallenge? _bearer;
    private volatile bool _basic;

    /// <summary>The last Bearer challenge (realm and service); null while the host has not asked for a token.</summary>
    public AuthChallenge? Bearer => _bearer;

    /// <summary>True once the host challenged Basic: credentials go with every request from then on.</summary>
    public bool Basic => _basic;

    public void LearnBearer(AuthChallenge challenge)
    {
        _bearer = challenge;
        _basic = false;
    }

    public void LearnBasic()
    {
        _basic = true;
        _bearer = null;
    }

    /// <summary>The scopes to ask a token for when a request needs <paramref name="requested"/>: itself, or what a challenge widened it to.</summary>
    public AuthScope Effective(AuthScope requested) => _widened.TryGetValue(requested, out var widened) ? widened : requested;

    public void Widen(AuthScope requested, AuthScope wanted) => _widened[requested] = wanted;
}
