using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Tests.Errdefs;

public class RegistryResponseTests
{
    private const string Json = "application/json";

    private static string Body(params (string Code, string Message)[] errors) =>
        "{\"errors\":[" + string.Join(",", errors.Select(e => $"{{\"code\":\"{e.Code}\",\"message\":\"{e.Message}\"}}")) + "]}";

    [Fact]
    public void ManifestUnknown()
    {
        var e = RegistryErrors.FromResponse(404, Json, Body(("MANIFEST_UNKNOWN", "manifest unknown")),
            "resolve docker.io/library/alpine:nope", target: "docker.io/library/alpine:nope");

        Assert.IsType<NotFoundException>(e);
        Assert.Equal("resolve docker.io/library/alpine:nope: 404 Not Found: MANIFEST_UNKNOWN: manifest unknown", e.Message);
        Assert.Equal(ErrorIds.ManifestNotFound, e.ErrorId);
        Assert.Equal("manifest unknown", e.Details);
        Assert.Equal("docker.io/library/alpine:nope", e.Target);
        Assert.Null(e.InnerException);
    }

    [Theory]
    [InlineData(404, "BLOB_UNKNOWN", ErrorClass.NotFound, "BlobNotFound")]
    [InlineData(404, "NAME_UNKNOWN", ErrorClass.NotFound, "RepositoryNotFound")]
    [InlineData(404, "BLOB_UPLOAD_UNKNOWN", ErrorClass.NotFound, "RegistryError")]
    [InlineData(400, "MANIFEST_BLOB_UNKNOWN", ErrorClass.FailedPrecondition, "RegistryError")]
    [InlineData(400, "DIGEST_INVALID", ErrorClass.InvalidArgument, "RegistryError")]
    [InlineData(401, "UNAUTHORIZED", ErrorClass.Unauthenticated, "RegistryUnauthorized")]
    [InlineData(403, "DENIED", ErrorClass.PermissionDenied, "RegistryDenied")]
    [InlineData(429, "TOOMANYREQUESTS", ErrorClass.ResourceExhausted, "RegistryRateLimited")]
    [InlineData(405, "UNSUPPORTED", ErrorClass.NotImplemented, "RegistryError")]
    [InlineData(503, "UNAVAILABLE", ErrorClass.Unavailable, "RegistryUnavailable")]
    // The code beats the status: Docker Hub answers 401 UNAUTHORIZED for a missing repository.
    [InlineData(401, "NAME_UNKNOWN", ErrorClass.NotFound, "RepositoryNotFound")]
    [InlineData(200, "DENIED", ErrorClass.PermissionDenied, "RegistryDenied")]
    // UNKNOWN and codes outside the spec leave the status to decide.
    [InlineData(500, "UNKNOWN", ErrorClass.Internal, "RegistryError")]
    [InlineData(503, "UNKNOWN", ErrorClass.Unavailable, "RegistryUnavailable")]
    [InlineData(429, "SLOW_DOWN", ErrorClass.ResourceExhausted, "RegistryRateLimited")]
    [InlineData(418, "UNKNOWN", ErrorClass.Unknown, "RegistryError")]
    public void ClassAndErrorIdFromCodeThenStatus(int status, string code, ErrorClass expectedClass, string expectedId)
    {
        var e = RegistryErrors.FromResponse(status, Json, Body((code, "m")), "ctx");
        Assert.Equal(expectedClass, e.Class);
        Assert.Equal(expectedId, e.ErrorId);
    }

    [Theory]
    [InlineData(400, ErrorClass.InvalidArgument, "RegistryError", "Bad Request")]
    [InlineData(401, ErrorClass.Unauthenticated, "RegistryUnauthorized", "Unauthorized")]
    [InlineData(403, ErrorClass.PermissionDenied, "RegistryDenied", "Forbidden")]
    [InlineData(404, ErrorClass.NotFound, "RegistryError", "Not Found")]
    [InlineData(409, ErrorClass.Conflict, "RegistryError", "Conflict")]
    [InlineData(416, ErrorClass.OutOfRange, "RegistryError", "Requested Range Not Satisfiable")]
    [InlineData(429, ErrorClass.ResourceExhausted, "RegistryRateLimited", "Too Many Requests")]
    [InlineData(500, ErrorClass.Internal, "RegistryError", "Internal Server Error")]
    [InlineData(502, ErrorClass.Unavailable, "RegistryUnavailable", "Bad Gateway")]
    [InlineData(503, ErrorClass.Unavailable, "RegistryUnavailable", "Service Unavailable")]
    [InlineData(504, ErrorClass.DeadlineExceeded, "RegistryError", "Gateway Timeout")]
    public void WithoutABodyTheStatusDecides(int status, ErrorClass expectedClass, string expectedId, string phrase)
    {
        var e = RegistryErrors.FromResponse(status, null, null, "push sha256:abc");

        Assert.Equal(expectedClass, e.Class);
        Assert.Equal(expectedId, e.ErrorId);
        Assert.Equal($"push sha256:abc: {status} {phrase}", e.Message);
        Assert.Null(e.Details);
    }

    [Fact]
    public void AnHtmlBodyIsIgnored()
    {
        var e = RegistryErrors.FromResponse(502, "text/html", "<html><h1>502 Bad Gateway</h1></html>", "fetch blob");
        Assert.IsType<UnavailableException>(e);
        Assert.Equal("fetch blob: 502 Bad Gateway", e.Message);
        Assert.Null(e.Details);
    }

    [Fact]
    public void AnUnusualStatusHasNoReasonPhraseToInvent()
    {
        var e = RegistryErrors.FromResponse(599, null, null, "ctx");
        Assert.Equal("ctx: 599", e.Message);
        Assert.Equal(ErrorClass.Unknown, e.Class);
    }

    [Fact]
    public void SeveralErrorsAreAllShownAndTheFirstMappedCodeDecides()
    {
        var body = """
            {"errors":[
              {"code":"UNKNOWN","message":"unknown error"},
              {"code":"NAME_INVALID","message":"invalid repository name"},
              {"code":"DENIED","message":"denied","detail":{"reason":"policy"}}
            ]}
            """;
        var e = RegistryErrors.FromResponse(400, Json, body, "push x");

        Assert.IsType<InvalidArgumentException>(e);
        Assert.Equal(
            "push x: 400 Bad Request: UNKNOWN: unknown error; NAME_INVALID: invalid repository name; DENIED: denied",
            e.Message);
        Assert.Equal(
            string.Join(Environment.NewLine, "unknown error", "invalid repository name", """denied {"reason":"policy"}"""),
            e.Details);
        Assert.Equal(ErrorIds.RegistryError, e.ErrorId);
    }

    [Fact]
    public void ErrorsWithOnlyACodeOrOnlyAMessageReadWell()
    {
        var e = RegistryErrors.FromResponse(403, Json, """{"errors":[{"code":"DENIED"},{"message":"ask an admin"},{}]}""", "ctx");
        Assert.Equal("ctx: 403 Forbidden: DENIED; ask an admin", e.Message);
        Assert.Equal("DENIED" + Environment.NewLine + "ask an admin", e.Details);
    }

    [Theory]
    [InlineData(404, null, "ManifestNotFound", ErrorClass.NotFound)]
    [InlineData(404, "BLOB_UNKNOWN", "BlobNotFound", ErrorClass.NotFound)]
    [InlineData(404, "NAME_UNKNOWN", "RepositoryNotFound", ErrorClass.NotFound)]
    [InlineData(404, "BLOB_UPLOAD_UNKNOWN", "ManifestNotFound", ErrorClass.NotFound)]
    [InlineData(401, null, "RegistryUnauthorized", ErrorClass.Unauthenticated)]
    [InlineData(500, null, "RegistryError", ErrorClass.Internal)]
    public void NotFoundErrorIdIsUsedOnlyForAPlainNotFound(int status, string? code, string expectedId, ErrorClass expectedClass)
    {
        var body = code is null ? null : Body((code, "m"));
        var e = RegistryErrors.FromResponse(status, Json, body, "ctx", notFoundErrorId: ErrorIds.ManifestNotFound);
        Assert.Equal(expectedClass, e.Class);
        Assert.Equal(expectedId, e.ErrorId);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public void TheErrorIdNeverContradictsTheClass(int status)
    {
        foreach (var code in new[] { "UNKNOWN", "NAME_UNKNOWN", "MANIFEST_UNKNOWN", "BLOB_UNKNOWN", "DENIED", "UNAUTHORIZED", "TOOMANYREQUESTS", "UNAVAILABLE", "MANIFEST_BLOB_UNKNOWN" })
        {
            var e = RegistryErrors.FromResponse(status, Json, Body((code, "m")), "ctx");
            var idClass = ErrorIds.ClassOf(e.ErrorId!);
            Assert.True(idClass is null || idClass == e.Class, $"{status} {code}: {e.ErrorId} vs {e.Class}");
        }
    }
}
