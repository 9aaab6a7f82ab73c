using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Tests.Errdefs;

public class ErrorCategoryMapTests
{
    [Theory]
    [InlineData(ErrorClass.Unknown, "NotSpecified")]
    [InlineData(ErrorClass.InvalidArgument, "InvalidArgument")]
    [InlineData(ErrorClass.NotFound, "ObjectNotFound")]
    [InlineData(ErrorClass.AlreadyExists, "ResourceExists")]
    [InlineData(ErrorClass.PermissionDenied, "PermissionDenied")]
    [InlineData(ErrorClass.ResourceExhausted, "LimitsExceeded")]
    [InlineData(ErrorClass.FailedPrecondition, "InvalidOperation")]
    [InlineData(ErrorClass.Conflict, "ResourceBusy")]
    [InlineData(ErrorClass.NotModified, "InvalidResult")]
    [InlineData(ErrorClass.Aborted, "DeadlockDetected")]
    [InlineData(ErrorClass.OutOfRange, "InvalidArgument")]
    [InlineData(ErrorClass.NotImplemented, "NotImplemented")]
    [InlineData(ErrorClass.Internal, "InvalidResult")]
    [InlineData(ErrorClass.Unavailable, "ResourceUnavailable")]
    [InlineData(ErrorClass.DataLoss, "InvalidData")]
    [InlineData(ErrorClass.Unauthenticated, "AuthenticationError")]
    [InlineData(ErrorClass.Canceled, "OperationStopped")]
    [InlineData(ErrorClass.DeadlineExceeded, "OperationTimeout")]
    public void CategoryNamesFollowTheDesignTable(ErrorClass errorClass, string categoryName)
    {
        Assert.Equal(categoryName, ErrorCategoryMap.ToCategoryName(errorClass));
    }

    [Theory]
    [MemberData(nameof(ErrorsResolveTests.AllClasses), MemberType = typeof(ErrorsResolveTests))]
    public void ClassesWithAUniqueCategoryRoundTrip(ErrorClass errorClass)
    {
        var name = ErrorCategoryMap.ToCategoryName(errorClass);
        var sharers = Enum.GetValues<ErrorClass>().Count(c => ErrorCategoryMap.ToCategoryName(c) == name);
        if (sharers == 1)
            Assert.Equal(errorClass, ErrorCategoryMap.FromCategoryName(name));
        else
            Assert.Contains(errorClass, new[] { ErrorClass.InvalidArgument, ErrorClass.OutOfRange, ErrorClass.NotModified, ErrorClass.Internal });
    }

    [Fact]
    public void ExactlyTwoCategoriesAreShared()
    {
        var shared = Enum.GetValues<ErrorClass>()
            .GroupBy(ErrorCategoryMap.ToCategoryName)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(new[] { "InvalidArgument", "InvalidResult" }, shared);
    }

    [Theory]
    [InlineData("InvalidArgument", ErrorClass.InvalidArgument)]
    [InlineData("InvalidResult", ErrorClass.Internal)]
    [InlineData("NotSpecified", ErrorClass.Unknown)]
    [InlineData("ReadError", ErrorClass.Unknown)]
    [InlineData("objectnotfound", ErrorClass.Unknown)]
    [InlineData("", ErrorClass.Unknown)]
    [InlineData(null, ErrorClass.Unknown)]
    public void SharedAndUnknownCategoryNames(string? categoryName, ErrorClass expected)
    {
        Assert.Equal(expected, ErrorCategoryMap.FromCategoryName(categoryName));
    }

    [Theory]
    [InlineData("UnknownException", ErrorClass.Unknown)]
    [InlineData("NotFoundException", ErrorClass.NotFound)]
    [InlineData("UnimplementedException", ErrorClass.NotImplemented)]
    [InlineData("OutOfRangeException", ErrorClass.OutOfRange)]
    [InlineData("DeadlineExceededException", ErrorClass.DeadlineExceeded)]
    [InlineData("CanceledException", ErrorClass.Canceled)]
    public void ReasonNamesTheClass(string reason, ErrorClass expected)
    {
        Assert.Equal(expected, ErrorCategoryMap.FromExceptionTypeName(reason));
    }

    [Theory]
    [InlineData("NotImplementedException")]
    [InlineData("ClassifiedException")]
    [InlineData("IOException")]
    [InlineData("notfoundexception")]
    [InlineData("ContentPS.NotFoundException")]
    [InlineData("")]
    [InlineData(null)]
    public void ReasonsThatAreNotOursGiveNull(string? reason)
    {
        Assert.Null(ErrorCategoryMap.FromExceptionTypeName(reason));
    }

    [Theory]
    [MemberData(nameof(ErrorsResolveTests.AllClasses), MemberType = typeof(ErrorsResolveTests))]
    public void EveryExceptionTypeNameMapsBack(ErrorClass errorClass)
    {
        Assert.Equal(errorClass, ErrorCategoryMap.FromExceptionTypeName(Errors.New(errorClass, "m").GetType().Name));
    }

    [Theory]
    // Reason first, even over an ErrorId and a category that say otherwise.
    [InlineData("OutOfRangeException", "InvalidReference,ContentPS.Commands.X", "InvalidArgument", ErrorClass.OutOfRange)]
    // No Reason of ours: the ErrorId decides.
    [InlineData("Exception", "ManifestNotFound,ContentPS.Commands.GetImageManifestCommand", "ObjectNotFound", ErrorClass.NotFound)]
    [InlineData(null, "DigestMismatch", "InvalidOperation", ErrorClass.FailedPrecondition)]
    // Neither: the category is the last resort.
    [InlineData(null, "RegistryError,ContentPS.Commands.X", "InvalidResult", ErrorClass.Internal)]
    [InlineData("IOException", null, "ResourceBusy", ErrorClass.Conflict)]
    [InlineData(null, null, null, ErrorClass.Unknown)]
    public void ErrorRecordPartsAreReadInDesignOrder(string? reason, string? fqid, string? category, ErrorClass expected)
    {
        Assert.Equal(expected, ErrorCategoryMap.FromErrorRecord(reason, fqid, category));
    }
}
