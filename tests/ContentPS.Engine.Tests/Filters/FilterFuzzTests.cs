using System.Text;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Filters;

namespace ContentPS.Engine.Tests.Filters;

public class FilterFuzzTests
{
    // Characters the grammar cares about, plus some it does not.
    private const string Alphabet = "ab_Z09.,=!~\"/|\\ \txnu7()[]+*?^$-:@é\0\n";

    private static string RandomFilter(Random random)
    {
        var length = random.Next(0, 24);
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(random.Next(20) switch
            {
                0 => "labels.",
                1 => "==",
                2 => "~=",
                3 => "\"",
                4 => "\ud83d\ude00",
                5 => ((char)random.Next(0xD800, 0xE000)).ToString(),
                _ => Alphabet[random.Next(Alphabet.Length)].ToString(),
            });
        }
        return builder.ToString();
    }

    [Fact]
    public void GarbageIsEitherAFilterOrAnInvalidFilterError()
    {
        var random = new Random(4242);
        var parsed = 0;
        var rejected = 0;
        for (var i = 0; i < 30_000; i++)
        {
            var text = RandomFilter(random);
            try
            {
                var filter = Filter.Parse([text]);
                parsed++;
                var subject = new TestObject("ab", Other: "x", Labels: new() { ["a"] = "b" });
                try
                {
                    filter.Match(subject);
                }
                catch (InvalidArgumentException ex) when (ex.ErrorId == ErrorIds.InvalidFilter)
                {
                }
                // Canonical text parses back to the same filter.
                if (!filter.IsAll)
                {
                    Assert.Equal(filter.ToString(), Filter.Parse([filter.ToString()]).ToString());
                }
            }
            catch (InvalidArgumentException ex)
            {
                rejected++;
                Assert.Equal(ErrorIds.InvalidFilter, ex.ErrorId);
                Assert.Equal(text, ex.Target);
                Assert.StartsWith("filters: parse error: [", ex.Message);
            }
        }
        // The generator must exercise both outcomes for the test to mean anything.
        Assert.True(parsed > 500, $"only {parsed} parsed");
        Assert.True(rejected > 500, $"only {rejected} rejected");
    }

    [Theory]
    [InlineData("name", "name")]
    [InlineData("name == bar", "name==bar")]
    [InlineData("labels.\"a.b/c\"==x", "labels.\"a.b/c\"==x")]
    [InlineData("labels.\"ab\"==\"x\"", "labels.ab==x")]
    [InlineData("other==\"too complex, yo\"", "other==\"too complex, yo\"")]
    [InlineData("other~=/[abc]+/", "other~=[abc]+")]
    [InlineData("other~=|a\\|b|", "other~=a|b")]
    [InlineData("other~=/^\\/x$/", "other~=^/x$")]
    [InlineData("other~=\"/x\"", "other~=\"/x\"")]
    [InlineData("a==\"\"", "a==\"\"")]
    [InlineData("a==\"=x\"", "a==\"=x\"")]
    [InlineData("a==\"tab\\there\"", "a==\"tab\\there\"")]
    [InlineData("a==\"\\x01\"", "a==\"\\u0001\"")]
    [InlineData("a!=b,c~=d", "a!=b,c~=d")]
    public void ToStringIsCanonical(string filter, string expected)
    {
        var parsed = Filter.Parse([filter]);
        Assert.Equal(expected, parsed.ToString());
        Assert.Equal(expected, Filter.Parse([parsed.ToString()]).ToString());
    }

    [Fact]
    public void AlternativesPrintJoinedByOr()
    {
        Assert.Equal("a==b OR c", Filter.Parse(["a==b", "c"]).ToString());
        Assert.Equal("", Filter.All.ToString());
    }
}
