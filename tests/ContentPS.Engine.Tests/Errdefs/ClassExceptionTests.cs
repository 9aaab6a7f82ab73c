using System.Reflection;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Tests.Errdefs;

public class ClassExceptionTests
{
    public static TheoryData<ErrorClass> AllClasses()
    {
        var data = new TheoryData<ErrorClass>();
        foreach (var c in Enum.GetValues<ErrorClass>()) data.Add(c);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllClasses))]
    public void EveryClassHasOneExceptionTypeNamedAfterIt(ErrorClass errorClass)
    {
        var types = typeof(ClassifiedException).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(ClassifiedException).IsAssignableFrom(t))
            .Where(t => ((ClassifiedException)Activator.CreateInstance(t, "m", null, null)!).Class == errorClass)
            .ToList();
        var type = Assert.Single(types);
        var expected = errorClass == ErrorClass.NotImplemented ? "UnimplementedException" : errorClass + "Exception";
        Assert.Equal(expected, type.Name);
    }
}
