using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Tests.Errdefs;

public class GrpcCodesTests
{
    [Theory]
    [InlineData(ErrorClass.Canceled, 1)]
    [InlineData(ErrorClass.Unknown, 2)]
    [InlineData(ErrorClass.InvalidArgument, 3)]
    [InlineData(ErrorClass.DeadlineExceeded, 4)]
    [InlineData(ErrorClass.NotFound, 5)]
    [InlineData(ErrorClass.AlreadyExists, 6)]
    [InlineData(ErrorClass.PermissionDenied, 7)]
    [InlineData(ErrorClass.ResourceExhausted, 8)]
    [InlineData(ErrorClass.FailedPrecondition, 9)]
    [InlineData(ErrorClass.Conflict, 9)]
    [InlineData(ErrorClass.NotModified, 9)]
    [InlineData(ErrorClass.Aborted, 10)]
    [InlineData(ErrorClass.OutOfRange, 11)]
    [InlineData(ErrorClass.NotImplemented, 12)]
    [InlineData(ErrorClass.Internal, 13)]
    [InlineData(ErrorClass.Unavailable, 14)]
    [InlineData(ErrorClass.DataLoss, 15)]
    [InlineData(ErrorClass.Unauthenticated, 16)]
    public void ToCodeFollowsTheTable(ErrorClass errorClass, int code)
    {
        Assert.Equal(code, GrpcCodes.ToCode(errorClass));
    }

    [Theory]
    [MemberData(nameof(ErrorsResolveTests.AllClasses), MemberType = typeof(ErrorsResolveTests))]
    public void EveryClassRoundTripsWithItsMessage(ErrorClass errorClass)
    {
        var wire = GrpcCodes.ToMessage(errorClass, "content sha256:abc");
        Assert.Equal(errorClass, GrpcCodes.FromCode(GrpcCodes.ToCode(errorClass), wire));

        var back = GrpcCodes.FromStatus(GrpcCodes.ToCode(errorClass), wire, "Id");
        Assert.Equal(errorClass, back.Class);
        Assert.Equal("content sha256:abc", back.Message);
        Assert.Equal("Id", back.ErrorId);
    }

    [Theory]
    [InlineData(ErrorClass.Conflict, "ref busy", "ref busy: conflict")]
    [InlineData(ErrorClass.NotModified, "labels unchanged", "labels unchanged: not modified")]
    [InlineData(ErrorClass.Conflict, "", "conflict")]
    [InlineData(ErrorClass.NotModified, "", "not modified")]
    [InlineData(ErrorClass.Conflict, "x: conflict", "x: conflict: conflict")]
    [InlineData(ErrorClass.FailedPrecondition, "ref busy", "ref busy")]
    [InlineData(ErrorClass.NotFound, "gone", "gone")]
    public void ToMessageAddsTheSuffixForConflictAndNotModified(ErrorClass errorClass, string message, string expected)
    {
        Assert.Equal(expected, GrpcCodes.ToMessage(errorClass, message));
    }

    [Theory]
    [InlineData("ref busy: conflict", ErrorClass.Conflict)]
    [InlineData("conflict", ErrorClass.Conflict)]
    [InlineData("labels unchanged: not modified", ErrorClass.NotModified)]
    [InlineData("not modified", ErrorClass.NotModified)]
    [InlineData("ref busy", ErrorClass.FailedPrecondition)]
    [InlineData("a conflict", ErrorClass.FailedPrecondition)]
    [InlineData("x: Conflict", ErrorClass.FailedPrecondition)]
    [InlineData("conflict: x", ErrorClass.FailedPrecondition)]
    [InlineData("", ErrorClass.FailedPrecondition)]
    [InlineData(null, ErrorClass.FailedPrecondition)]
    public void Code9ReadsTheSuffix(string? message, ErrorClass expected)
    {
        Assert.Equal(expected, GrpcCodes.FromCode(9, message));
    }

    [Theory]
    [InlineData(1, ErrorClass.Canceled)]
    [InlineData(2, ErrorClass.Unknown)]
    [InlineData(3, ErrorClass.InvalidArgument)]
    [InlineData(4, ErrorClass.DeadlineExceeded)]
    [InlineData(5, ErrorClass.NotFound)]
    [InlineData(6, ErrorClass.AlreadyExists)]
    [InlineData(7, ErrorClass.PermissionDenied)]
    [InlineData(8, ErrorClass.ResourceExhausted)]
    [InlineData(10, ErrorClass.Aborted)]
    [InlineData(11, ErrorClass.OutOfRange)]
    [InlineData(12, ErrorClass.NotImplemented)]
    [InlineData(13, ErrorClass.Internal)]
    [InlineData(14, ErrorClass.Unavailable)]
    [InlineData(15, ErrorClass.DataLoss)]
    [InlineData(16, ErrorClass.Unauthenticated)]
    [InlineData(17, ErrorClass.Unknown)]
    [InlineData(-1, ErrorClass.Unknown)]
    [InlineData(int.MaxValue, ErrorClass.Unknown)]
    public void FromCodeFollowsTheTable(int code, ErrorClass expected)
    {
        Assert.Equal(expected, GrpcCodes.FromCode(code, "ends with: conflict"));
    }

    [Fact]
    public void OkIsNotAnError()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => GrpcCodes.FromCode(0, "fine"));
        Assert.Equal("code", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => GrpcCodes.FromStatus(0, null));
    }

    [Theory]
    [InlineData(9, "ref busy: conflict", "ConflictException", "ref busy")]
    [InlineData(9, "conflict", "ConflictException", "")]
    [InlineData(9, "x: conflict: conflict", "ConflictException", "x: conflict")]
    [InlineData(9, "labels: not modified", "NotModifiedException", "labels")]
    [InlineData(9, "precondition", "FailedPreconditionException", "precondition")]
    [InlineData(5, "gone: conflict", "NotFoundException", "gone: conflict")]
    [InlineData(12, null, "UnimplementedException", "")]
    public void FromStatusBuildsTheExceptionWithoutTheSuffix(int code, string? message, string typeName, string expectedMessage)
    {
        var e = GrpcCodes.FromStatus(code, message);
        Assert.Equal(typeName, e.GetType().Name);
        Assert.Equal(expectedMessage, e.Message);
        Assert.Null(e.ErrorId);
    }
}
