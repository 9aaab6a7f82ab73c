using System.Text;
using ContentPS.Engine.Tests.Fixtures;

namespace ContentPS.Engine.Tests.Remotes.Credentials;

/// <summary>Config files and a fake <c>docker-credential-test</c> helper in a temporary folder.</summary>
internal sealed class CredentialFiles : IDisposable
{
    // The fake helper answers by server URL and logs "<argument> <server URL>" per call.
    private const string HelperScript = """
        #!/bin/sh
        IFS= read -r url
        printf '%s %s\n' "$1" "$url" >> "$(dirname "$0")/helper.log"
        case "$url" in
          https://index.docker.io/v1/) printf '{"ServerURL":"%s","Username":"hubuser","Secret":"hub-secret"}' "$url" ;;
          identity.example) printf '{"ServerURL":"%s","Username":"<token>","Secret":"identity-from-helper"}' "$url" ;;
          store.example|helped.example:5000) printf '{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret"}' "$url" ;;
          empty.example) printf '{"ServerURL":"%s","Username":"","Secret":""}' "$url" ;;
          broken.example) echo "the keychain is locked" >&2; exit 3 ;;
          notjson.example) echo "Secret=leaky-value" ;;
          slow.example) exec sleep 60 ;;
          *) echo "credentials not found in native keychain"; exit 1 ;;
        esac
        """;

    private readonly TempDirectory _temp = new();

    public CredentialFiles()
    {
        HelperDirectory = _temp.Combine("bin");
        Directory.CreateDirectory(HelperDirectory);
        var helper = Path.Combine(HelperDirectory, "docker-credential-test");
        File.WriteAllText(helper, HelperScript.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The folder holding docker-credential-test, to use as the helper search path.</summary>
    public string HelperDirectory { get; }

    /// <summary>"get &lt;server URL&gt;" per helper call so far.</summary>
    public IReadOnlyList<string> HelperCalls
    {
        get
        {
            var log = Path.Combine(HelperDirectory, "helper.log");
            return File.Exists(log) ? File.ReadAllLines(log) : [];
        }
    }

    public string Write(string name, string json)
    {
        var path = _temp.Combine(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    public string Missing(string name) => _temp.Combine(name);

    public static string Auth(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    public void Dispose() => _temp.Dispose();
}
