using System.Collections.Concurrent;
using ContentPS.Engine.Diagnostics;

namespace ContentPS.Engine.Remotes.Http;

/// <summary>
/// Registry <c>Warning: 299 - "text"</c> headers (distribution spec: deprecations, quota notices)
/// shown as warnings, each distinct text once per transport.
/// </summary>
internal sealed class WarningHeaders(IEngineLog log)
{
    private const int RegistryWarnCode = 299;
    private readonly ConcurrentDictionary<string, byte> _shown = new(StringComparer.Ordinal);

    public void Report(HttpResponseMessage response, Uri url)
    {
        foreach (var warning in response.Headers.Warning)
        {
            if (warning.Code != RegistryWarnCode)
            {
                continue;
            }

            string text = Unquote(warning.Text);
            if (text.Length > 0 && _shown.TryAdd(text, 0))
            {
                log.Warning($"Registry {url.Authority}: {text}");
            }
        }
    }

    private static string Unquote(string quoted)
    {
        string inner = quoted.Length >= 2 && quoted[0] == '"' && quoted[^1] == '"' ? quoted[1..^1] : quoted;
        return inner.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal).Trim();
    }
}
