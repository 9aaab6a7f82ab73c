using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Tests.Errdefs;

public class RegistryStatusAndCodeTests
{
    [Theory]
    [InlineData(304, ErrorClass.NotModified)]
    [InlineData(400, ErrorClass.InvalidArgument)]
    [InlineData(401, ErrorClass.Unauthenticated)]
    [InlineData(403, ErrorClass.PermissionDenied)]
    [InlineData(404, ErrorClass.NotFound)]
    [InlineData(405, ErrorClass.Unknown)]
    [InlineData(408, ErrorClass.DeadlineExceeded)]
    [InlineData(409, ErrorClass.Conflict)]
    [InlineData(412, ErrorClass.FailedPrecondition)]
    [InlineData(416, ErrorClass.OutOfRange)]
    [InlineData(429, ErrorClass.ResourceExhausted)]
    [InlineData(500, ErrorClass.Internal)]
    [InlineData(501, ErrorClass.NotImplemented)]
    [InlineData(502, ErrorClass.Unavailable)]
    [InlineData(503, ErrorClass.Unavailable)]
    [InlineData(504, ErrorClass.DeadlineExceeded)]
    [InlineData(200, ErrorClass.Unknown)]
    [InlineData(302, ErrorClass.Unknown)]
    [InlineData(410, ErrorClass.Unknown)]
    [InlineData(413, ErrorClass.Unknown)]
    [InlineData(599, ErrorClass.Unknown)]
    [InlineData(0, ErrorClass.Unknown)]
    [InlineData(-1, ErrorClass.Unknown)]
    public void HttpStatuses(int status, ErrorClass expected)
    {
        Assert.Equal(expected, RegistryErrors.FromHttpStatus(status));
    }

    [Theory]
    [InlineData(405, ErrorClass.NotImplemented)]
    [InlineData(404, ErrorClass.NotFound)]
    [InlineData(501, ErrorClass.NotImplemented)]
    public void MethodUnsupportedOnlyChanges405(int status, ErrorClass expected)
    {
        Assert.Equal(expected, RegistryErrors.FromHttpStatus(status, methodUnsupported: true));
    }

    [Theory]
    [InlineData("UNKNOWN", ErrorClass.Unknown)]
    [InlineData("NAME_INVALID", ErrorClass.InvalidArgument)]
    [InlineData("DIGEST_INVALID", ErrorClass.InvalidArgument)]
    [InlineData("SIZE_INVALID", ErrorClass.InvalidArgument)]
    [InlineData("MANIFEST_INVALID", ErrorClass.InvalidArgument)]
    [InlineData("TAG_INVALID", ErrorClass.InvalidArgument)]
    [InlineData("BLOB_UPLOAD_INVALID", ErrorClass.InvalidArgument)]
    [InlineData("BLOB_UNKNOWN", ErrorClass.NotFound)]
    [InlineData("MANIFEST_UNKNOWN", ErrorClass.NotFound)]
    [InlineData("NAME_UNKNOWN", ErrorClass.NotFound)]
    [InlineData("BLOB_UPLOAD_UNKNOWN", ErrorClass.NotFound)]
    [InlineData("DENIED", ErrorClass.PermissionDenied)]
    [InlineData("TOOMANYREQUESTS", ErrorClass.ResourceExhausted)]
    [InlineData("MANIFEST_BLOB_UNKNOWN", ErrorClass.FailedPrecondition)]
    [InlineData("UNSUPPORTED", ErrorClass.NotImplemented)]
    [InlineData("UNAVAILABLE", ErrorClass.Unavailable)]
    [InlineData("UNAUTHORIZED", ErrorClass.Unauthenticated)]
    [InlineData("manifest_unknown", ErrorClass.NotFound)]
    public void OciCodes(string code, ErrorClass expected)
    {
        Assert.Equal(expected, RegistryErrors.FromOciCode(code));
    }

    [Theory]
    [InlineData("MANIFEST_UNVERIFIED")]
    [InlineData("PAGINATION_NUMBER_INVALID")]
    [InlineData("NOT_A_CODE")]
    [InlineData("")]
    [InlineData(null)]
    public void UnknownCodesGiveNull(string? code)
    {
        Assert.Null(RegistryErrors.FromOciCode(code));
    }
}
