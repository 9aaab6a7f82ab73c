using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Tests.Errdefs;

public class ErrorsNewWrapClassifyTests
{
    [Theory]
    [MemberData(nameof(ErrorsResolveTests.AllClasses), MemberType = typeof(ErrorsResolveTests))]
    public void NewBuildsTheConcreteTypeWithEveryField(ErrorClass errorClass)
    {
        var inner = new IOException("disk");
        var e = Errors.New(errorClass, "message", "SomeId", inner, "docker.io/library/alpine:3", "details");

        Assert.Equal(errorClass, e.Class);
        var expectedType = errorClass == ErrorClass.NotImplemented ? "UnimplementedException" : errorClass + "Exception";
        Assert.Equal(expectedType, e.GetType().Name);
        Assert.Equal("message", e.Message);
        Assert.Equal("SomeId", e.ErrorId);
        Assert.Same(inner, e.InnerException);
        Assert.Equal("docker.io/library/alpine:3", e.Target);
        Assert.Equal("details", e.Details);
    }

    [Fact]
    public void NewRejectsAValueOutsideTheEnum()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Errors.New((ErrorClass)99, "m"));
    }

    [Fact]
    public void WrapKeepsClassErrorIdTargetAndDetails()
    {
        var inner = new NotFoundException("manifest unknown", ErrorIds.ManifestNotFound) { Target = "alpine:3", Details = "registry said no" };

        var wrapped = Errors.Wrap(inner, "resolve alpine:3");

        Assert.IsType<NotFoundException>(wrapped);
        Assert.Equal("resolve alpine:3: manifest unknown", wrapped.Message);
        Assert.Equal(ErrorIds.ManifestNotFound, wrapped.ErrorId);
        Assert.Equal("alpine:3", wrapped.Target);
        Assert.Equal("registry said no", wrapped.Details);
        Assert.Same(inner, wrapped.InnerException);
    }

    [Fact]
    public void WrapTwiceKeepsEverythingFromTheInnermostClassified()
    {
        var inner = new UnavailableException("locked", ErrorIds.IngestLocked) { Target = "sha256:abc" };
        var twice = Errors.Wrap(Errors.Wrap(inner, "write blob"), "pull alpine");

        Assert.Equal(ErrorClass.Unavailable, twice.Class);
        Assert.Equal("pull alpine: write blob: locked", twice.Message);
        Assert.Equal(ErrorIds.IngestLocked, twice.ErrorId);
        Assert.Equal("sha256:abc", twice.Target);
    }

    [Fact]
    public void WrapWithAnErrorIdOverridesTheInnerOne()
    {
        var wrapped = Errors.Wrap(new NotFoundException("missing", ErrorIds.NotFound), "get", ErrorIds.BlobNotFound);
        Assert.Equal(ErrorIds.BlobNotFound, wrapped.ErrorId);
        Assert.Equal(ErrorClass.NotFound, wrapped.Class);
    }

    [Fact]
    public void WrapOfASystemExceptionTakesItsMappedClass()
    {
        var inner = new TimeoutException("no answer");
        var wrapped = Errors.Wrap(inner, "fetch config");

        Assert.IsType<DeadlineExceededException>(wrapped);
        Assert.Equal("fetch config: no answer", wrapped.Message);
        Assert.Null(wrapped.ErrorId);
        Assert.Null(wrapped.Target);
        Assert.Same(inner, wrapped.InnerException);
    }

    [Fact]
    public void WrapOfAnUnclassifiedExceptionIsUnknown()
    {
        var wrapped = Errors.Wrap(new InvalidOperationException("odd"), "ctx", "MyId");
        Assert.IsType<UnknownException>(wrapped);
        Assert.Equal("ctx: odd", wrapped.Message);
        Assert.Equal("MyId", wrapped.ErrorId);
    }

    [Fact]
    public void ClassifyReturnsAClassifiedExceptionItself()
    {
        var e = new ConflictException("busy");
        Assert.Same(e, Errors.Classify(e));
    }

    [Fact]
    public void ClassifyOfAnUnclassifiedExceptionIsUnknownAndKeepsItsMessage()
    {
        var original = new InvalidOperationException("something odd happened");
        var classified = Errors.Classify(original);

        Assert.IsType<UnknownException>(classified);
        Assert.Equal("something odd happened", classified.Message);
        Assert.Same(original, classified.InnerException);
        Assert.Null(classified.ErrorId);
    }

    [Fact]
    public void ClassifyOfASystemExceptionUsesTheMappedClass()
    {
        var original = new UnauthorizedAccessException("access to /store denied");
        var classified = Errors.Classify(original);

        Assert.IsType<PermissionDeniedException>(classified);
        Assert.Equal("access to /store denied", classified.Message);
        Assert.Same(original, classified.InnerException);
    }

    [Fact]
    public void ClassifyOfAWrappedClassifiedKeepsTheOuterMessageAndTheInnerIdentity()
    {
        var inner = new NotFoundException("blob unknown", ErrorIds.BlobNotFound) { Target = "sha256:abc", Details = "d" };
        var original = new AggregateException("copy failed", inner);
        var classified = Errors.Classify(original);

        Assert.IsType<NotFoundException>(classified);
        Assert.Equal(original.Message, classified.Message);
        Assert.Equal(ErrorIds.BlobNotFound, classified.ErrorId);
        Assert.Equal("sha256:abc", classified.Target);
        Assert.Equal("d", classified.Details);
        Assert.Same(original, classified.InnerException);
    }
}
