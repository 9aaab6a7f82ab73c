using System.Net;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Tests.Errdefs;

public class ErrorsResolveTests
{
    public static TheoryData<ErrorClass> AllClasses()
    {
        var data = new TheoryData<ErrorClass>();
        foreach (var c in Enum.GetValues<ErrorClass>()) data.Add(c);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllClasses))]
    public void ResolveReturnsTheClassOfAClassifiedException(ErrorClass errorClass)
    {
        Assert.Equal(errorClass, Errors.Resolve(Errors.New(errorClass, "m")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(20)]
    public void ResolveFindsAClassUnderPlainWrappers(int depth)
    {
        Exception e = new NotFoundException("blob missing");
        for (var i = 0; i < depth; i++) e = new InvalidOperationException($"layer {i}", e);
        Assert.Equal(ErrorClass.NotFound, Errors.Resolve(e));
    }

    [Fact]
    public void OutermostClassifiedWins()
    {
        var inner = new NotFoundException("blob missing");
        var middle = new InvalidOperationException("while copying", inner);
        var outer = new FailedPreconditionException("commit failed", innerException: middle);
        Assert.Equal(ErrorClass.FailedPrecondition, Errors.Resolve(new Exception("top", outer)));
    }

    [Fact]
    public void OuterClassifiedBeatsInnerSystemException()
    {
        var e = new UnavailableException("ingest locked", ErrorIds.IngestLocked, new TimeoutException("lock wait"));
        Assert.Equal(ErrorClass.Unavailable, Errors.Resolve(e));
    }

    [Fact]
    public void InnerClassifiedBeatsOuterSystemException()
    {
        // A classified exception anywhere decides before any system mapping does.
        var e = new ArgumentException("bad", new AlreadyExistsException("exists"));
        Assert.Equal(ErrorClass.AlreadyExists, Errors.Resolve(e));
        var canceled = new TaskCanceledException("canceled", new NotFoundException("missing"));
        Assert.Equal(ErrorClass.NotFound, Errors.Resolve(canceled));
    }

    [Fact]
    public void AggregateIsWalkedDepthFirstInOrder()
    {
        var first = new InvalidOperationException("a", new DataLossException("corrupt"));
        var second = new NotFoundException("missing");
        Assert.Equal(ErrorClass.DataLoss, Errors.Resolve(new AggregateException(first, second)));
        Assert.Equal(ErrorClass.NotFound, Errors.Resolve(new AggregateException(new InvalidOperationException("x"), second)));
    }

    [Fact]
    public void ClassifiedInsideAnyAggregateMemberBeatsASystemExceptionBeforeIt()
    {
        var e = new AggregateException(new TimeoutException("t"), new AggregateException(new ConflictException("c")));
        Assert.Equal(ErrorClass.Conflict, Errors.Resolve(e));
    }

    [Fact]
    public void NestedAggregatesAreWalked()
    {
        var e = new AggregateException(new AggregateException(new InvalidOperationException("x", new AbortedException("a"))));
        Assert.Equal(ErrorClass.Aborted, Errors.Resolve(e));
    }

    [Fact]
    public void AggregateOfSystemExceptionsTakesTheFirstMapped()
    {
        var e = new AggregateException(new InvalidOperationException("x"), new TimeoutException("t"), new FileNotFoundException("f"));
        Assert.Equal(ErrorClass.DeadlineExceeded, Errors.Resolve(e));
    }

    [Theory]
    [InlineData("OperationCanceled", ErrorClass.Canceled)]
    [InlineData("TaskCanceled", ErrorClass.Canceled)]
    [InlineData("HttpClientTimeout", ErrorClass.DeadlineExceeded)]
    [InlineData("Timeout", ErrorClass.DeadlineExceeded)]
    [InlineData("FileNotFound", ErrorClass.NotFound)]
    [InlineData("DirectoryNotFound", ErrorClass.NotFound)]
    [InlineData("UnauthorizedAccess", ErrorClass.PermissionDenied)]
    [InlineData("NotImplemented", ErrorClass.NotImplemented)]
    [InlineData("NotSupported", ErrorClass.NotImplemented)]
    [InlineData("PlatformNotSupported", ErrorClass.NotImplemented)]
    [InlineData("Argument", ErrorClass.InvalidArgument)]
    [InlineData("ArgumentNull", ErrorClass.InvalidArgument)]
    [InlineData("ArgumentOutOfRange", ErrorClass.InvalidArgument)]
    [InlineData("Http404", ErrorClass.NotFound)]
    [InlineData("Http429", ErrorClass.ResourceExhausted)]
    [InlineData("Http503", ErrorClass.Unavailable)]
    [InlineData("HttpConnectionRefused", ErrorClass.Unavailable)]
    [InlineData("HttpNoStatus", ErrorClass.Unknown)]
    [InlineData("IO", ErrorClass.Unknown)]
    [InlineData("InvalidOperation", ErrorClass.Unknown)]
    [InlineData("Plain", ErrorClass.Unknown)]
    public void SystemExceptionsMap(string kind, ErrorClass expected)
    {
        Assert.Equal(expected, Errors.Resolve(SystemException(kind)));
        // The mapping also applies under a plain wrapper.
        Assert.Equal(expected, Errors.Resolve(new InvalidOperationException("wrapped", SystemException(kind))));
    }

    [Fact]
    public void NullIsUnknown()
    {
        Assert.Equal(ErrorClass.Unknown, Errors.Resolve(null));
        Assert.False(Errors.IsNotFound(null));
    }

    [Fact]
    public void IsHelpersUseResolve()
    {
        var wrapped = new InvalidOperationException("x", new AlreadyExistsException("exists"));
        Assert.True(Errors.IsAlreadyExists(wrapped));
        Assert.False(Errors.IsNotFound(wrapped));
        Assert.True(Errors.IsNotFound(new FileNotFoundException("f")));
        Assert.True(Errors.IsUnavailable(new UnavailableException("locked", ErrorIds.IngestLocked)));
        Assert.True(Errors.Is(new TimeoutException(), ErrorClass.DeadlineExceeded));
        Assert.False(Errors.Is(new TimeoutException(), ErrorClass.Canceled));
    }

    internal static Exception SystemException(string kind) => kind switch
    {
        "OperationCanceled" => new OperationCanceledException("stop"),
        "TaskCanceled" => new TaskCanceledException("stop"),
        "HttpClientTimeout" => new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout",
            new TimeoutException("timed out")),
        "Timeout" => new TimeoutException("t"),
        "FileNotFound" => new FileNotFoundException("f"),
        "DirectoryNotFound" => new DirectoryNotFoundException("d"),
        "UnauthorizedAccess" => new UnauthorizedAccessException("u"),
        "NotImplemented" => new NotImplementedException("n"),
        "NotSupported" => new NotSupportedException("n"),
        "PlatformNotSupported" => new PlatformNotSupportedException("p"),
        "Argument" => new ArgumentException("a"),
        "ArgumentNull" => new ArgumentNullException("p"),
        "ArgumentOutOfRange" => new ArgumentOutOfRangeException("p"),
        "Http404" => new HttpRequestException("h", null, HttpStatusCode.NotFound),
        "Http429" => new HttpRequestException("h", null, HttpStatusCode.TooManyRequests),
        "Http503" => new HttpRequestException("h", null, HttpStatusCode.ServiceUnavailable),
        "HttpConnectionRefused" => new HttpRequestException(HttpRequestError.ConnectionError, "refused"),
        "HttpNoStatus" => new HttpRequestException("h"),
        "IO" => new IOException("io"),
        "InvalidOperation" => new InvalidOperationException("i"),
        "Plain" => new Exception("p"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
