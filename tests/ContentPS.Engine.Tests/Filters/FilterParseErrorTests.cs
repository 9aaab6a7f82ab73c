using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Filters;

namespace ContentPS.Engine.Tests.Filters;

public class FilterParseErrorTests
{
    private static InvalidArgumentException Reject(string filter)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => Filter.Parse([filter]));
        Assert.Equal(ErrorIds.InvalidFilter, ex.ErrorId);
        Assert.Equal(filter, ex.Target);
        return ex;
    }

    [Theory]
    [InlineData("labels.|foo|==omg_asdf.asdf-qwer", "filters: parse error: [labels. >|||< foo|==omg_asdf.asdf-qwer]: invalid quote encountered (column 8)")]
    [InlineData("labels.?\"x\".post==present", "filters: parse error: [labels. >|?|< \"x\".post==present]: expected field or quoted (column 8)")]
    [InlineData("name==foo,", "filters: parse error: [name==foo,]: expected field or quoted (at the end)")]
    [InlineData("labels.", "filters: parse error: [labels.]: expected field or quoted (at the end)")]
    [InlineData("image~=,id?=?fbaq", "filters: parse error: [image~= >|,|< id?=?fbaq]: expected value or quoted (column 8)")]
    [InlineData("labels.ns/key==value", "filters: parse error: [labels.ns >|/|< key==value]: quoted literal not terminated (column 10)")]
    [InlineData("labels.key==/value", "filters: parse error: [labels.key== >|/|< value]: quoted literal not terminated (column 13)")]
    [InlineData("labels.a==", "filters: parse error: [labels.a==]: expected value or quoted (at the end)")]
    [InlineData("labels.a===b", "filters: parse error: [labels.a >|=|< ==b]: unsupported operator \"===\" (column 9)")]
    [InlineData("labels.a=b", "filters: parse error: [labels.a >|=|< b]: unsupported operator \"=\" (column 9)")]
    [InlineData("labels.a==/b/", "filters: parse error: [labels.a== >|/|< b/]: invalid quote encountered (column 11)")]
    [InlineData("name==bar ", "filters: parse error: [name==bar >| |< ]: unexpected input: a space (column 10)")]
    [InlineData("name==\"bar\"x", "filters: parse error: [name==\"bar\" >|x|< ]: unexpected input: \"x\" (column 12)")]
    [InlineData("name ,x", "filters: parse error: [name  >|,|< x]: expected an operator (\"==\"|\"!=\"|\"~=\") (column 6)")]
    [InlineData("name==\"a\\qb\"", "filters: parse error: [name== >|\"|< a\\qb\"]: illegal escape sequence (column 7)")]
    [InlineData("name==\"a\\x4\"", "filters: parse error: [name== >|\"|< a\\x4\"]: illegal numeric escape sequence (column 7)")]
    [InlineData("name==\"\\400\"", "filters: parse error: [name== >|\"|< \\400\"]: unquoting failed: octal escape value > 255 (column 7)")]
    [InlineData("name==\"\\ud800\"", "filters: parse error: [name== >|\"|< \\ud800\"]: unquoting failed: \\ud800 is not a Unicode scalar value (column 7)")]
    [InlineData("name==\"abc", "filters: parse error: [name== >|\"|< abc]: quoted literal not terminated (column 7)")]
    [InlineData("name==a\0b", "filters: parse error: [name==a >|\\u0000|< b]: unexpected input: an invalid character (column 8)")]
    [InlineData("na\0me", "filters: parse error: [na >|\\u0000|< me]: unexpected null character (column 3)")]
    [InlineData("name==a\u0001", "filters: parse error: [name==a >|\\u0001|< ]: unexpected input: U+0001 (column 8)")]
    [InlineData(",", "filters: parse error: [ >|,|< ]: expected field or quoted (column 1)")]
    [InlineData("other~=[abc", "filters: parse error: [other~= >|[|< abc]: invalid regular expression: Invalid pattern '[abc' at offset 4. Unterminated [] set. (column 8)")]
    public void MalformedFiltersAreInvalidArgumentsThatPointAtThePosition(string filter, string message)
    {
        Assert.Equal(message, Reject(filter).Message);
    }

    [Fact]
    public void OneBadAlternativeRejectsTheWholeFilterAndNamesIt()
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => Filter.Parse(["name==a", "name==", "name==b"]));
        Assert.Equal("name==", ex.Target);
    }

    [Fact]
    public void ANullStringIsRejected()
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => Filter.Parse(["name", null!]));
        Assert.Equal(ErrorIds.InvalidFilter, ex.ErrorId);
    }

    [Fact]
    public void ALoneSurrogateIsRejectedAndShownEscaped()
    {
        var ex = Reject("name==a\ud800");
        Assert.Equal("filters: parse error: [name==a >|\\ud800|< ]: unexpected input: an invalid character (column 8)", ex.Message);
    }
}
