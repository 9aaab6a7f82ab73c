using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Unpack;

/// <summary>A theory that compares with Debian's umoci: skipped, with the reason in the test output, only when umoci is not installed.</summary>
public sealed class UmociTheoryAttribute : TheoryAttribute
{
    public UmociTheoryAttribute()
    {
        if (ToolRunner.Find("umoci") is null)
        {
            Skip = "umoci is not installed (Debian package umoci)";
        }
    }
}
