using ContentPS.Engine.Filters;

namespace ContentPS.Engine.Tests.Filters;

public class FilterMatchTests
{
    private static readonly TestObject[] Corpus =
    [
        new("foo", Labels: new() { ["foo"] = "true" }),
        new("bar"),
        new("foo", Labels: new() { ["foo"] = "present", ["more complex label"] = "present" }),
        new("bar", Labels: new() { ["bar"] = "true" }),
        new("fooer", Labels: new() { ["more complex label with \\ and \""] = "present" }),
        new("fooer", Labels: new() { ["more complex label with \\ and \".post"] = "present" }),
        new("baz", Other: "too complex, yo"),
        new("bazo", Other: "abc"),
        new("compound", Labels: new() { ["foo"] = "omg_asdf.asdf-qwer" }),
    ];

    private static string Matching(params string[] filters)
    {
        var filter = Filter.Parse(filters);
        return string.Join(" ", Enumerable.Range(0, Corpus.Length).Where(i => filter.Match(Corpus[i])));
    }

    [Theory]
    [InlineData("name", "0 1 2 3 4 5 6 7 8")]
    [InlineData("labels.foo", "0 2 8")]
    [InlineData("labels.foo,name", "0 2 8")]
    [InlineData("labels.foo==true", "0")]
    [InlineData("labels.foo==omg_asdf.asdf-qwer", "8")]
    [InlineData("name==bar", "1 3")]
    [InlineData("name!=bar", "0 2 4 5 6 7 8")]
    [InlineData("name==bar,labels.bar", "3")]
    [InlineData("other==\"too complex, yo\"", "6")]
    [InlineData("other~=[abc]+,name!=foo", "6 7")]
    [InlineData("other~=/[abc]+/,name!=foo", "6 7")]
    [InlineData("other~=|[abc]+|,name!=foo", "6 7")]
    [InlineData("other~=/[abc]{1,2}/,name!=foo", "6 7")]
    [InlineData("other~=/[abc]{0,1}\"\\//,name!=foo", "")]
    [InlineData("name==bar,labels.bar==true", "3")]
    [InlineData("name==bar,labels.bar==wrong", "")]
    [InlineData("name==foo,labels.\"more complex label\"", "2")]
    [InlineData("labels.\"more complex label with \\\\ and \\\"\"==present", "4")]
    [InlineData("labels.\"more complex label with \\\\ and \\\"\".post==present", "5")]
    [InlineData("labels.\"foo\"==\"true\"", "0")]
    [InlineData("other~=^abc$", "7")]
    [InlineData("other!=abc", "0 1 2 3 4 5 6 8")]
    [InlineData("nothing", "")]
    [InlineData("nothing!=x", "0 1 2 3 4 5 6 7 8")]
    [InlineData("nothing~=^$", "0 1 2 3 4 5 6 7 8")]
    [InlineData("name==\"\\x66oo\"", "0 2")]
    [InlineData("name==\"\\u0066oo\"", "0 2")]
    [InlineData("name==\"\\146oo\"", "0 2")]
    public void MatchesLikeContainerd(string filter, string expected)
    {
        Assert.Equal(expected, Matching(filter));
    }

    [Theory]
    [InlineData("name == bar", "1 3")]
    [InlineData("  name==bar", "1 3")]
    [InlineData("name==bar, labels.bar", "3")]
    [InlineData("name==\tbar", "1 3")]
    [InlineData("labels. foo==true", "0")]
    public void WhitespaceBeforeAFieldOperatorOrValueIsSkipped(string filter, string expected)
    {
        Assert.Equal(expected, Matching(filter));
    }

    [Fact]
    public void SeveralStringsAreAlternatives()
    {
        Assert.Equal("0 1 3 8", Matching("name==bar", "labels.foo==true", "name==compound"));
        Assert.Equal("3", Matching("name==bar,labels.bar", "name==nobody"));
    }

    [Fact]
    public void NullEmptyOrAnEmptyStringMatchesEverything()
    {
        Assert.Same(Filter.All, Filter.Parse(null));
        Assert.Same(Filter.All, Filter.Parse([]));
        Assert.Same(Filter.All, Filter.Parse(["name==nobody", ""]));
        Assert.True(Filter.All.IsAll);
        Assert.False(Filter.Parse(["name"]).IsAll);
        Assert.Equal("0 1 2 3 4 5 6 7 8", Matching(""));
        Assert.True(Filter.All.Match(new TestObject("")));
    }

    [Fact]
    public void EqualityIsOrdinalAndCaseSensitive()
    {
        Assert.Equal("", Matching("name==FOO"));
        Assert.Equal("", Matching("NAME==foo"));
    }

    [Fact]
    public void ARegexIsUnanchoredAndCultureInvariant()
    {
        Assert.Equal("6 7", Matching("other~=c"));
        Assert.Equal("", Matching("other~=C"));
        Assert.Equal("6 7", Matching("other~=(?i)C"));
    }

    [Fact]
    public void ARunawayRegexIsRejectedWhenItTimesOut()
    {
        var filter = Filter.Parse(["other~=^(a+)+$"]);
        var subject = new TestObject("x", Other: new string('a', 40) + "!");
        var ex = Assert.Throws<ContentPS.InvalidArgumentException>(() => filter.Match(subject));
        Assert.Equal("InvalidFilter", ex.ErrorId);
        Assert.Equal("other~=^(a+)+$", ex.Target);
        Assert.StartsWith("filters: the regular expression \"^(a+)+$\" took longer than 1 s on a value of 41 characters", ex.Message);
    }
}
