using System.Text;
using System.Text.Json;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using static ContentPS.Engine.Tests.Oci.Platforms.OracleData;
using P = ContentPS.Engine.Oci.Platforms;

namespace ContentPS.Engine.Tests.Oci.Platforms;

/// <summary>
/// Every line of the containerd/platforms v1.0.0-rc.4 oracle output (testdata/) must agree with our
/// implementation, with <see cref="P.Default"/> pinned to the oracle's host, linux/amd64.
/// </summary>
public class OracleAgreementTests
{
    private static TheoryData<int, string> Labeled(string file, Func<JsonElement, string> label)
    {
        var data = new TheoryData<int, string>();
        var lines = Lines(file);
        for (int i = 0; i < lines.Length; i++)
        {
            data.Add(i + 1, label(lines[i]));
        }

        return data;
    }

    public static TheoryData<int, string> ParseLines() => Labeled("parse.jsonl", l => l.GetProperty("input").GetString()!);

    public static TheoryData<int, string> FormatLines() => Labeled("format.jsonl", l => l.GetProperty("platform").GetRawText());

    public static TheoryData<int, string> MatchLines() => Labeled("match.jsonl",
        l => $"{ToPlatform(l.GetProperty("spec"))} ⇐ {ToPlatform(l.GetProperty("candidate"))}");

    public static TheoryData<int, string> OrderLines() => Labeled("order.jsonl",
        l => l.GetProperty("kind").GetString() + " " + string.Join(", ", l.GetProperty("specs").EnumerateArray().Select(s => ToPlatform(s).ToString())));

    [Theory]
    [MemberData(nameof(ParseLines))]
    public void Parse_agrees_with_containerd(int line, string input)
    {
        using var host = P.OverrideDefault(OracleHost);
        var expected = Lines("parse.jsonl")[line - 1];
        var context = $"parse.jsonl:{line} {JsonSerializer.Serialize(input)}";

        bool ok = P.TryParse(input, out var platform, out var error);
        Assert.True(expected.GetProperty("ok").GetBoolean() == ok, $"{context}: ok={ok}, error={error}");
        if (!ok)
        {
            Assert.Null(platform);
            Assert.Equal(expected.GetProperty("error").GetString(), error);
            var ex = Assert.Throws<InvalidArgumentException>(() => P.Parse(input));
            Assert.Equal(error, ex.Message);
            Assert.Equal("InvalidPlatform", ex.ErrorId);
            Assert.Equal(input, ex.Target);
            return;
        }

        Assert.Null(error);
        AssertSame(ToPlatform(expected.GetProperty("platform")), platform!, context + " Parse");
        AssertSame(platform!, P.Parse(input), context + " Parse (throwing)");
        Assert.Equal(expected.GetProperty("format").GetString(), P.Format(platform!));
        Assert.Equal(expected.GetProperty("formatAll").GetString(), P.FormatAll(platform!));
        AssertSame(ToPlatform(expected.GetProperty("normalized")), P.Normalize(platform!), context + " Normalize");
    }

    [Theory]
    [MemberData(nameof(FormatLines))]
    public void Format_and_normalize_agree_with_containerd(int line, string platformJson)
    {
        using var host = P.OverrideDefault(OracleHost);
        var expected = Lines("format.jsonl")[line - 1];
        var platform = ToPlatform(expected.GetProperty("platform"));
        var context = $"format.jsonl:{line} {platformJson}";

        Assert.Equal(expected.GetProperty("format").GetString(), P.Format(platform));
        Assert.Equal(expected.GetProperty("formatAll").GetString(), P.FormatAll(platform));
        AssertSame(ToPlatform(expected.GetProperty("normalized")), P.Normalize(platform), context + " Normalize");
    }

    [Theory]
    [MemberData(nameof(MatchLines))]
    public void Only_and_OnlyStrict_match_agree_with_containerd(int line, string pair)
    {
        using var host = P.OverrideDefault(OracleHost);
        var expected = Lines("match.jsonl")[line - 1];
        var spec = ToPlatform(expected.GetProperty("spec"));
        var candidate = ToPlatform(expected.GetProperty("candidate"));

        Assert.True(expected.GetProperty("only").GetBoolean() == P.Only(spec).Match(candidate), $"match.jsonl:{line} Only {pair}");
        Assert.True(expected.GetProperty("onlyStrict").GetBoolean() == P.OnlyStrict(spec).Match(candidate), $"match.jsonl:{line} OnlyStrict {pair}");
    }

    [Theory]
    [MemberData(nameof(OrderLines))]
    public void Comparer_match_and_less_agree_with_containerd(int line, string comparer)
    {
        using var host = P.OverrideDefault(OracleHost);
        var expected = Lines("order.jsonl")[line - 1];
        var candidates = Lines("candidates.jsonl").Select(ToPlatform).ToArray();
        var specs = expected.GetProperty("specs").EnumerateArray().Select(ToPlatform).ToArray();
        IPlatformMatchComparer m = expected.GetProperty("kind").GetString() switch
        {
            "only" => P.Only(specs[0]),
            "onlyStrict" => P.OnlyStrict(specs[0]),
            "ordered" => P.Ordered(specs),
            "any" => P.Any(specs),
            "all" => P.All,
            var k => throw new InvalidDataException(k),
        };

        var match = expected.GetProperty("match").GetString()!;
        var less = expected.GetProperty("less").EnumerateArray().Select(r => r.GetString()!).ToArray();
        Assert.Equal(candidates.Length, match.Length);
        var wrong = new StringBuilder();
        for (int i = 0; i < candidates.Length; i++)
        {
            if ((match[i] == '1') != m.Match(candidates[i]))
            {
                wrong.AppendLine($"Match({candidates[i]}) should be {match[i] == '1'}");
            }

            for (int j = 0; j < candidates.Length; j++)
            {
                if ((less[i][j] == '1') != m.Less(candidates[i], candidates[j]))
                {
                    wrong.AppendLine($"Less({candidates[i]}, {candidates[j]}) should be {less[i][j] == '1'}");
                }
            }
        }

        Assert.True(wrong.Length == 0, $"order.jsonl:{line} {comparer}:\n{wrong}");
    }
}
