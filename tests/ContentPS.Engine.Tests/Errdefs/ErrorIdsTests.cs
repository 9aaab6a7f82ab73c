using System.Reflection;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Tests.Errdefs;

public class ErrorIdsTests
{
    [Theory]
    [InlineData("InvalidReference", ErrorClass.InvalidArgument)]
    [InlineData("InvalidPlatform", ErrorClass.InvalidArgument)]
    [InlineData("InvalidDigest", ErrorClass.InvalidArgument)]
    [InlineData("InvalidMediaType", ErrorClass.InvalidArgument)]
    [InlineData("ManifestTooLarge", ErrorClass.ResourceExhausted)]
    [InlineData("UnsupportedSchema1", ErrorClass.NotImplemented)]
    [InlineData("ManifestNotFound", ErrorClass.NotFound)]
    [InlineData("BlobNotFound", ErrorClass.NotFound)]
    [InlineData("RepositoryNotFound", ErrorClass.NotFound)]
    [InlineData("IngestLocked", ErrorClass.Unavailable)]
    [InlineData("DigestMismatch", ErrorClass.FailedPrecondition)]
    [InlineData("InvalidFilter", ErrorClass.InvalidArgument)]
    [InlineData("InvalidLabel", ErrorClass.InvalidArgument)]
    [InlineData("InvalidFieldPath", ErrorClass.InvalidArgument)]
    [InlineData("InvalidImageName", ErrorClass.InvalidArgument)]
    [InlineData("ImageNotFound", ErrorClass.NotFound)]
    [InlineData("ImageExists", ErrorClass.AlreadyExists)]
    [InlineData("CorruptMetadata", ErrorClass.DataLoss)]
    [InlineData("PathNotFound", ErrorClass.NotFound)]
    [InlineData("PathIsDirectory", ErrorClass.InvalidArgument)]
    [InlineData("InvalidPath", ErrorClass.InvalidArgument)]
    [InlineData("BlobCorrupt", ErrorClass.DataLoss)]
    [InlineData("AlreadyExists", ErrorClass.AlreadyExists)]
    [InlineData("RegistryRateLimited", ErrorClass.ResourceExhausted)]
    [InlineData("RegistryUnauthorized", ErrorClass.Unauthenticated)]
    [InlineData("RegistryDenied", ErrorClass.PermissionDenied)]
    [InlineData("RegistryUnavailable", ErrorClass.Unavailable)]
    [InlineData("Unknown", ErrorClass.Unknown)]
    [InlineData("OperationCanceled", ErrorClass.Canceled)]
    public void CatalogClasses(string errorId, ErrorClass expected)
    {
        Assert.Equal(expected, ErrorIds.ClassOf(errorId));
    }

    [Theory]
    [InlineData("InvalidReference,ContentPS.Commands.ConvertToImageReferenceCommand", ErrorClass.InvalidArgument)]
    [InlineData("ManifestNotFound,ContentPS.Commands.GetImageManifestCommand", ErrorClass.NotFound)]
    [InlineData("IngestLocked,ContentPS.Commands.SaveImageContentCommand", ErrorClass.Unavailable)]
    [InlineData("OperationCanceled,", ErrorClass.Canceled)]
    public void FullyQualifiedErrorIdsAreAccepted(string fullyQualifiedErrorId, ErrorClass expected)
    {
        Assert.Equal(expected, ErrorIds.ClassOf(fullyQualifiedErrorId));
    }

    [Theory]
    [InlineData("RegistryError")]
    [InlineData("RegistryError,ContentPS.Commands.CopyImageCommand")]
    [InlineData("NativeCommandError")]
    [InlineData("manifestnotfound")]
    [InlineData(",ManifestNotFound")]
    [InlineData("")]
    public void UnknownIdsAndRegistryErrorHaveNoClass(string errorId)
    {
        Assert.Null(ErrorIds.ClassOf(errorId));
    }

    [Theory]
    [InlineData(ErrorClass.NotFound, "NotFound")]
    [InlineData(ErrorClass.Unknown, "Unknown")]
    [InlineData(ErrorClass.Canceled, "OperationCanceled")]
    [InlineData(ErrorClass.NotImplemented, "NotImplemented")]
    [InlineData(ErrorClass.DeadlineExceeded, "DeadlineExceeded")]
    public void Defaults(ErrorClass errorClass, string expected)
    {
        Assert.Equal(expected, ErrorIds.DefaultFor(errorClass));
    }

    [Theory]
    [MemberData(nameof(ErrorsResolveTests.AllClasses), MemberType = typeof(ErrorsResolveTests))]
    public void EveryDefaultIsInTheCatalogWithItsClass(ErrorClass errorClass)
    {
        Assert.Equal(errorClass, ErrorIds.ClassOf(ErrorIds.DefaultFor(errorClass)));
    }

    [Fact]
    public void DefaultForRejectsAValueOutsideTheEnum()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ErrorIds.DefaultFor((ErrorClass)99));
    }

    public static TheoryData<string> Constants()
    {
        var data = new TheoryData<string>();
        foreach (var field in typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
            data.Add((string)field.GetRawConstantValue()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Constants))]
    public void EveryConstantIsAPascalCaseWordInTheCatalog(string errorId)
    {
        Assert.Matches("^[A-Z][A-Za-z0-9]+$", errorId);
        if (errorId != ErrorIds.RegistryError) Assert.NotNull(ErrorIds.ClassOf(errorId));
    }
}
