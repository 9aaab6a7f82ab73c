using ContentPS.Engine.Diagnostics;

namespace ContentPS.Engine.Tests.Diagnostics;

public sealed class RequestLogTests
{
    [Theory]
    [InlineData("https://registry-1.docker.io/v2/library/ubuntu/manifests/24.04",
        "https://registry-1.docker.io/v2/library/ubuntu/manifests/24.04")]
    [InlineData("https://alice:s3cret@registry.example:5000/v2/",
        "https://registry.example:5000/v2/")]
    [InlineData("https://bob@registry.example/v2/?last=a&n=10",
        "https://registry.example/v2/?last=a&n=10")]
    [InlineData("https://auth.docker.io/token?scope=repository%3Alibrary%2Fubuntu%3Apull&service=registry.docker.io&access_token=abc.def",
        "https://auth.docker.io/token?scope=repository%3Alibrary%2Fubuntu%3Apull&service=registry.docker.io&access_token=REDACTED")]
    [InlineData("https://bucket.s3.amazonaws.com/blob?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20240101&X-Amz-Signature=deadbeef&x-amz-security-token=tok",
        "https://bucket.s3.amazonaws.com/blob?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&x-amz-security-token=REDACTED")]
    [InlineData("https://cdn.example/blob?Expires=1700000000&Signature=abc~def&Key-Pair-Id=K2",
        "https://cdn.example/blob?Expires=1700000000&Signature=REDACTED&Key-Pair-Id=REDACTED")]
    [InlineData("https://acct.blob.core.windows.net/c/b?sv=2021&se=2024&sig=xyz%3D",
        "https://acct.blob.core.windows.net/c/b?sv=2021&se=2024&sig=REDACTED")]
    public void Urls_lose_credentials_and_keep_everything_else(string url, string expected) =>
        Assert.Equal(expected, RequestLog.RedactUrl(new Uri(url)));

    [Fact]
    public void A_relative_url_keeps_its_path_and_loses_secret_query_values() =>
        Assert.Equal("/v2/token?token=REDACTED&n=1", RequestLog.RedactUrl(new Uri("/v2/token?token=t0k&n=1", UriKind.Relative)));

    [Theory]
    [InlineData("get", 200, null, null, "GET https://r.example/v2/ 200")]
    [InlineData("HEAD", 429, null, "retrying in 2 s (attempt 2 of 5)", "HEAD https://r.example/v2/ 429; retrying in 2 s (attempt 2 of 5)")]
    [InlineData("GET", null, "connection refused", "not retrying", "GET https://r.example/v2/ connection refused; not retrying")]
    [InlineData("GET", null, null, null, "GET https://r.example/v2/ no response")]
    public void Lines_read_method_url_outcome_and_retry(string method, int? status, string? failure, string? retry, string expected) =>
        Assert.Equal(expected, RequestLog.Format(method, new Uri("https://u:p@r.example/v2/"), status, failure, retry));

    [Fact]
    public void Request_writes_verbose_and_a_timed_debug_line()
    {
        var log = new CollectingLog(verbose: true, debug: true);
        log.Request("GET", new Uri("https://r.example/v2/?access_token=t"), 401, TimeSpan.FromMilliseconds(12.4), retry: "retrying with a token");

        Assert.Equal(["GET https://r.example/v2/?access_token=REDACTED 401; retrying with a token"], log.VerboseLines);
        Assert.Equal(["GET https://r.example/v2/?access_token=REDACTED 401; retrying with a token (12 ms)"], log.DebugLines);
    }

    [Fact]
    public void Request_writes_nothing_debug_when_only_verbose_is_shown()
    {
        var log = new CollectingLog(verbose: true, debug: false);
        log.Request("GET", new Uri("https://r.example/v2/"), 200, TimeSpan.FromMilliseconds(3));

        Assert.Equal(["GET https://r.example/v2/ 200"], log.VerboseLines);
        Assert.Empty(log.DebugLines);
    }

    private sealed class CollectingLog(bool verbose, bool debug) : IEngineLog
    {
        public List<string> VerboseLines { get; } = [];

        public List<string> DebugLines { get; } = [];

        public bool IsVerboseEnabled => verbose;

        public bool IsDebugEnabled => debug;

        public void Verbose(string message)
        {
            if (verbose)
            {
                VerboseLines.Add(message);
            }
        }

        public void Debug(string message)
        {
            if (debug)
            {
                DebugLines.Add(message);
            }
        }

        public void Warning(string message)
        {
        }
    }
}
