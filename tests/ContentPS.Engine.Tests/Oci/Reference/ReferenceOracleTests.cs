using System.Globalization;
using System.Text;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Oci.Reference;

/// <summary>
/// Checks <see cref="ImageReference"/> against recorded output of github.com/distribution/reference
/// v0.6.0 (<c>ParseNormalizedNamed</c>, with go-digest v1.0.0 and sha256/sha512 linked, as in Docker).
/// </summary>
/// <remarks>
/// reference-oracle.tsv has one input per line, tab-separated; '#' lines are comments. A valid input:
/// <c>input ok Name() Domain() Path() Tag() Digest() FamiliarName() FamiliarString() String() TagNameOnly().String()</c>;
/// an invalid one: <c>input error err.Error()</c>. Fields escape <c>\\ \t \n \r</c>, control and
/// non-ASCII characters as <c>\uXXXX</c> / <c>\UXXXXXXXX</c>.
/// The file holds no uppercase letters newer than Unicode 13 (the oracle ran on Go 1.19); for those,
/// this port follows Go 1.21+ (see ReferenceGrammar.HasUppercase).
/// </remarks>
public class ReferenceOracleTests
{
    private const string FileName = "reference-oracle.tsv";

    private static readonly Lazy<string[][]> Rows = new(LoadRows);

    private static string[][] LoadRows()
    {
        string path = System.IO.Path.Combine(AppContext.BaseDirectory, "Oci", "Reference", FileName);
        return File.ReadAllLines(path, Encoding.UTF8)
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .ToArray();
    }

    public static IEnumerable<object[]> Cases()
    {
        string[][] rows = Rows.Value;
        for (int i = 0; i < rows.Length; i++)
        {
            string label = rows[i][0].Length <= 100 ? rows[i][0] : rows[i][0][..100] + "…";
            yield return [i, label];
        }
    }

    [Fact]
    public void OracleFileCoversBothOutcomes()
    {
        string[][] rows = Rows.Value;
        Assert.True(rows.Length > 5000, $"only {rows.Length} rows");
        Assert.Contains(rows, r => r[1] == "ok");
        Assert.Contains(rows, r => r[1] == "error");
        Assert.All(rows, r => Assert.Equal(r[1] == "ok" ? 11 : 3, r.Length));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AgreesWithDistributionReference(int row, string label)
    {
        string[] expected = Rows.Value[row];
        Assert.StartsWith(label.TrimEnd('…'), expected[0], StringComparison.Ordinal);
        string input = Unescape(expected[0]);

        bool ok = ImageReference.TryParse(input, out ImageReference? reference, out string? error);

        if (expected[1] == "error")
        {
            Assert.False(ok, $"accepted {reference}");
            Assert.Equal(Unescape(expected[2]), error);
            InvalidArgumentException ex = Assert.Throws<InvalidArgumentException>(() => ImageReference.Parse(input));
            Assert.Equal(Unescape(expected[2]), ex.Message);
            Assert.Equal("InvalidReference", ex.ErrorId);
            Assert.Equal(input, ex.Target);
            return;
        }

        Assert.True(ok, error);
        Assert.NotNull(reference);
        Assert.Equal(Unescape(expected[2]), reference.FullName);
        Assert.Equal(Unescape(expected[3]), reference.Domain);
        Assert.Equal(Unescape(expected[4]), reference.Path);
        Assert.Equal(Unescape(expected[5]), reference.Tag ?? "");
        Assert.Equal(Unescape(expected[6]), reference.Digest ?? "");
        Assert.Equal(Unescape(expected[7]), reference.FamiliarName);
        Assert.Equal(Unescape(expected[8]), reference.FamiliarString);
        Assert.Equal(Unescape(expected[9]), reference.ToString());
        Assert.Equal(Unescape(expected[10]), reference.WithDefaultTag().ToString());
        Assert.Equal(reference, ImageReference.Parse(input));

        // The full string is a fixed point of the parser.
        Assert.Equal(reference.ToString(), ImageReference.Parse(reference.ToString()).ToString());
    }

    internal static string Unescape(string s)
    {
        if (!s.Contains('\\'))
        {
            return s;
        }
        var b = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c != '\\' || i + 1 >= s.Length)
            {
                b.Append(c);
                continue;
            }
            char e = s[++i];
            switch (e)
            {
                case '\\': b.Append('\\'); break;
                case 't': b.Append('\t'); break;
                case 'n': b.Append('\n'); break;
                case 'r': b.Append('\r'); break;
                case 'u':
                    b.Append((char)int.Parse(s.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                case 'U':
                    b.Append(char.ConvertFromUtf32(int.Parse(s.AsSpan(i + 1, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                    i += 8;
                    break;
                default:
                    b.Append('\\').Append(e);
                    break;
            }
        }
        return b.ToString();
    }
}
