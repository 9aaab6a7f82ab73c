using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Tests.Errdefs;

public class RegistryErrorBodyTests
{
    private const string Json = "application/json; charset=utf-8";

    [Fact]
    public void ParsesOneError()
    {
        var errors = RegistryErrors.ParseErrorBody(Json,
            """{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"nope"}}]}""");

        var error = Assert.Single(errors);
        Assert.Equal(new RegistryError("MANIFEST_UNKNOWN", "manifest unknown", """{"Tag":"nope"}"""), error);
    }

    [Fact]
    public void ParsesSeveralErrorsInOrder()
    {
        var errors = RegistryErrors.ParseErrorBody(Json, """
            {"errors": [
              {"code": "NAME_INVALID", "message": "invalid repository name"},
              {"code": "TAG_INVALID", "message": "manifest tag did not match URI", "detail": "v1"},
              {"code": "DENIED", "message": "requested access to the resource is denied",
               "detail": [{"Type":"repository","Name":"x","Action":"push"}]}
            ]}
            """);

        Assert.Equal(3, errors.Count);
        Assert.Equal(new RegistryError("NAME_INVALID", "invalid repository name", null), errors[0]);
        Assert.Equal(new RegistryError("TAG_INVALID", "manifest tag did not match URI", "\"v1\""), errors[1]);
        Assert.Equal("DENIED", errors[2].Code);
        Assert.Equal("""[{"Type":"repository","Name":"x","Action":"push"}]""", errors[2].Detail);
    }

    [Fact]
    public void ToleratesMissingAndMistypedFields()
    {
        var errors = RegistryErrors.ParseErrorBody(Json,
            """{"errors":[{"message":"no code"},{"code":"BLOB_UNKNOWN"},{"code":42,"message":null,"detail":null},{}]}""");

        Assert.Equal(
            new[]
            {
                new RegistryError(null, "no code", null),
                new RegistryError("BLOB_UNKNOWN", null, null),
                new RegistryError(null, null, null),
                new RegistryError(null, null, null),
            },
            errors);
    }

    [Fact]
    public void SkipsEntriesThatAreNotObjects()
    {
        var errors = RegistryErrors.ParseErrorBody(Json, """{"errors":["oops", 1, null, {"code":"DENIED"}]}""");
        Assert.Equal(new[] { new RegistryError("DENIED", null, null) }, errors);
    }

    [Fact]
    public void JsonWithAWrongContentTypeIsStillRead()
    {
        var errors = RegistryErrors.ParseErrorBody("text/plain", """  {"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""");
        Assert.Equal("UNAUTHORIZED", Assert.Single(errors).Code);
        Assert.Single(RegistryErrors.ParseErrorBody(null, """{"errors":[{"code":"UNAUTHORIZED"}]}"""));
    }

    [Theory]
    [InlineData("text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>")]
    [InlineData(Json, "")]
    [InlineData(Json, "   \n")]
    [InlineData(Json, null)]
    [InlineData(null, null)]
    [InlineData(Json, "{\"errors\":[{\"code\":\"DENIED\"")]
    [InlineData(Json, "{not json}")]
    [InlineData(Json, "{\"errors\":[] } trailing")]
    [InlineData(Json, "[{\"code\":\"DENIED\"}]")]
    [InlineData(Json, "\"DENIED\"")]
    [InlineData(Json, "{\"error\":\"DENIED\"}")]
    [InlineData(Json, "{\"errors\":{\"code\":\"DENIED\"}}")]
    [InlineData(Json, "{\"errors\":null}")]
    [InlineData(Json, "{\"errors\":[]}")]
    [InlineData("text/plain", "404 page not found")]
    public void EmptyHtmlMalformedAndWrongShapesGiveNoErrors(string? contentType, string? body)
    {
        Assert.Empty(RegistryErrors.ParseErrorBody(contentType, body));
    }

    [Fact]
    public void DeeplyNestedDetailDoesNotThrow()
    {
        var deep = new string('[', 200) + new string(']', 200);
        Assert.Empty(RegistryErrors.ParseErrorBody(Json, $$"""{"errors":[{"code":"DENIED","detail":{{deep}}}]}"""));
    }
}
