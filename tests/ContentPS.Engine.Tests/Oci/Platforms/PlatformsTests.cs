using System.Runtime.InteropServices;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using P = ContentPS.Engine.Oci.Platforms;

namespace ContentPS.Engine.Tests.Oci.Platforms;

/// <summary>The notable rules of containerd/platforms v1.0, spelled out (the oracle theories cover the rest).</summary>
public class PlatformsTests
{
    private static readonly Platform LinuxAmd64 = new() { OS = "linux", Architecture = "amd64" };

    private static Platform Pl(string os, string arch, string? variant = null, string? osVersion = null, params string[] features) => new()
    {
        OS = os,
        Architecture = arch,
        Variant = variant,
        OSVersion = osVersion,
        OSFeatures = features.Length == 0 ? null : features,
    };

    [Theory]
    [InlineData("linux/amd64", "linux", "amd64", null)]
    [InlineData("LINUX/AMD64", "linux", "amd64", null)]          // lower-cased
    [InlineData("linux/x86_64", "linux", "amd64", null)]
    [InlineData("linux/x86-64", "linux", "amd64", null)]
    [InlineData("linux/amd64/v1", "linux", "amd64", null)]       // v1 is the default amd64 level
    [InlineData("linux/amd64/v3", "linux", "amd64", "v3")]
    [InlineData("linux/i386", "linux", "386", null)]
    [InlineData("linux/i386/v2", "linux", "386", null)]          // i386 drops any variant
    [InlineData("linux/aarch64", "linux", "arm64", null)]
    [InlineData("linux/arm64/v8", "linux", "arm64", "v8")]       // three parts: arm64 keeps (or gets) v8 …
    [InlineData("linux/arm64/8", "linux", "arm64", "v8")]
    [InlineData("linux/arm64/9", "linux", "arm64", "v9")]
    [InlineData("linux/arm", "linux", "arm", null)]              // two parts: arm/v7 is written without variant …
    [InlineData("linux/armhf", "linux", "arm", null)]
    [InlineData("linux/arm/7", "linux", "arm", "v7")]            // … but an explicit variant stays
    [InlineData("linux/arm/8", "linux", "arm", "v8")]
    [InlineData("linux/armel", "linux", "arm", "v6")]
    [InlineData("linux/armel/v7", "linux", "arm", "v6")]         // armel forces v6
    [InlineData("macos/arm64", "darwin", "arm64", null)]
    [InlineData("darwin/arm64", "darwin", "arm64", null)]
    [InlineData("linux/foo", "linux", "foo", null)]              // with a slash, os and arch are not checked
    [InlineData("foo/bar/baz", "foo", "bar", "baz")]
    [InlineData("linux", "linux", "amd64", null)]                // a lone OS takes the host architecture
    [InlineData("Windows", "windows", "amd64", null)]
    [InlineData("aarch64", "linux", "arm64", null)]              // a lone architecture takes the host OS
    [InlineData("armhf", "linux", "arm", null)]
    [InlineData("armel", "linux", "arm", "v6")]
    [InlineData("i386", "linux", "386", null)]
    public void Parse_normalizes_like_containerd(string input, string os, string arch, string? variant)
    {
        using var host = P.OverrideDefault(LinuxAmd64);
        var p = P.Parse(input);
        Assert.Equal(os, p.OS);
        Assert.Equal(arch, p.Architecture);
        Assert.Equal(variant, p.Variant);
        Assert.Null(p.OSVersion);
        Assert.Null(p.OSFeatures);
    }

    [Fact]
    public void Parse_reads_os_version_and_features_in_parentheses()
    {
        var p = P.Parse("windows(10.0.17763+win32k+b+a)/amd64");
        Assert.Equal("windows", p.OS);
        Assert.Equal("10.0.17763", p.OSVersion);
        Assert.Equal(["win32k", "b", "a"], p.OSFeatures!);   // kept as written; Normalize and FormatAll sort
        Assert.Equal("windows(10.0.17763+a+b+win32k)/amd64", P.FormatAll(p));
        Assert.Equal("windows/amd64", P.Format(p));
        Assert.Equal(["a", "b", "win32k"], P.Normalize(p).OSFeatures!);

        var escaped = P.Parse("windows(10.0%2B1%2F2+a%28b%29)/amd64");
        Assert.Equal("10.0+1/2", escaped.OSVersion);
        Assert.Equal(["a(b)"], escaped.OSFeatures!);
        Assert.Equal("windows(10.0%2B1%2F2+a%28b%29)/amd64", P.FormatAll(escaped));

        var featuresOnly = P.Parse("linux(+b+a+a)/arm64");
        Assert.Null(featuresOnly.OSVersion);
        Assert.Equal("linux(+a+b)/arm64", P.FormatAll(featuresOnly));
    }

    [Theory]
    [InlineData("", "\"\" is an invalid OS component of \"\": OSAndVersion specifier component must match \"^([A-Za-z0-9_-]+)(?:\\\\(([A-Za-z0-9_.%-]*)((?:\\\\+[A-Za-z0-9_.%-]+)*)\\\\))?$\": invalid argument")]
    [InlineData("foo", "\"foo\": unknown operating system or architecture: invalid argument")]
    [InlineData("linux/amd64/v2/x", "\"linux/amd64/v2/x\": cannot parse platform specifier: invalid argument")]
    [InlineData("a/b/c/d/e", "\"d/e\" is an invalid component of \"a/b/c/d/e\": platform specifier component must match \"^[A-Za-z0-9_.-]+$\": invalid argument")]
    [InlineData("linux/amd64/", "\"\" is an invalid component of \"linux/amd64/\": platform specifier component must match \"^[A-Za-z0-9_.-]+$\": invalid argument")]
    [InlineData("linux/amd64\n", "\"amd64\\n\" is an invalid component of \"linux/amd64\\n\": platform specifier component must match \"^[A-Za-z0-9_.-]+$\": invalid argument")]
    [InlineData("linux/*", "\"linux/*\": wildcards not yet supported: invalid argument")]
    [InlineData("windows(%zz)/amd64", "\"windows(%zz)/amd64\" has an invalid OS version \"%zz\": invalid URL escape \"%zz\"")]
    [InlineData("windows(1.0+%2)/amd64", "\"windows(1.0+%2)/amd64\" has invalid OS features: invalid os feature \"%2\": invalid URL escape \"%2\"")]
    public void Parse_errors_carry_containerd_messages(string input, string message)
    {
        using var host = P.OverrideDefault(LinuxAmd64);
        var ex = Assert.Throws<InvalidArgumentException>(() => P.Parse(input));
        Assert.Equal(message, ex.Message);
        Assert.Equal("InvalidPlatform", ex.ErrorId);
        Assert.Equal(input, ex.Target);
        Assert.Equal(ErrorClass.InvalidArgument, ex.Class);

        Assert.False(P.TryParse(input, out var platform, out var error));
        Assert.Null(platform);
        Assert.Equal(message, error);
    }

    [Fact]
    public void TryParse_treats_null_as_empty()
    {
        Assert.False(P.TryParse(null, out var platform, out var error));
        Assert.Null(platform);
        Assert.StartsWith("\"\" is an invalid OS component", error);
        Assert.Throws<ArgumentNullException>(() => P.Parse(null!));
    }

    [Theory]
    [InlineData("linux", "aarch64", "v8", "linux", "arm64", null)]
    [InlineData("Linux", "ARM64", "V8.0", "linux", "arm64", null)]
    [InlineData("linux", "arm64", "9.0", "linux", "arm64", "v9")]
    [InlineData("linux", "arm", null, "linux", "arm", "v7")]       // Normalize spells out arm/v7
    [InlineData("linux", "armhf", null, "linux", "arm", "v7")]
    [InlineData("linux", "arm", "5", "linux", "arm", "v5")]
    [InlineData("linux", "x86_64", "v1", "linux", "amd64", null)]
    [InlineData("MacOS", "amd64", null, "darwin", "amd64", null)]
    [InlineData("", "amd64", null, "linux", "amd64", null)]        // empty OS: the host's
    public void Normalize_gives_canonical_values(string os, string arch, string? variant, string nos, string narch, string? nvariant)
    {
        using var host = P.OverrideDefault(LinuxAmd64);
        var n = P.Normalize(Pl(os, arch, variant));
        Assert.Equal(nos, n.OS);
        Assert.Equal(narch, n.Architecture);
        Assert.Equal(nvariant, n.Variant);
    }

    [Fact]
    public void Format_joins_like_go_path_join()
    {
        Assert.Equal("unknown", P.Format(Pl("", "amd64")));
        Assert.Equal("linux", P.Format(Pl("linux", "")));
        Assert.Equal("linux/arm/v7", P.Format(Pl("linux", "arm", "v7")));
        Assert.Equal("windows(10.0.20348)/amd64", P.FormatAll(Pl("windows", "amd64", osVersion: "10.0.20348")));
        Assert.Equal("windows(10.0.20348)/amd64", Pl("windows", "amd64", osVersion: "10.0.20348").ToString());
        Assert.Equal("linux/amd64", P.FormatAll(Pl("linux", "amd64", null, null, "")));   // empty features vanish
    }

    [Theory]
    // amd64/vN runs vN…v1 and 386
    [InlineData("linux/amd64/v3", "linux/amd64/v2", true, false)]
    [InlineData("linux/amd64/v3", "linux/amd64", true, false)]
    [InlineData("linux/amd64/v3", "linux/386", true, false)]
    [InlineData("linux/amd64/v3", "linux/amd64/v4", false, false)]
    [InlineData("linux/amd64", "linux/386", true, false)]
    [InlineData("linux/x86_64", "linux/amd64", true, true)]
    // arm64 runs arm/v8…v5; arm/vN runs arm/v(N-1)…v5
    [InlineData("linux/arm64", "linux/arm/v7", true, false)]
    [InlineData("linux/arm64", "linux/arm/v5", true, false)]
    [InlineData("linux/arm64", "linux/arm64/v8", true, true)]
    [InlineData("linux/arm64", "linux/arm64/v8.1", false, false)]
    [InlineData("linux/arm64", "linux/amd64", false, false)]
    [InlineData("linux/arm/v7", "linux/arm/v6", true, false)]
    [InlineData("linux/arm/v7", "linux/arm", true, true)]
    [InlineData("linux/arm/v6", "linux/arm/v7", false, false)]
    [InlineData("linux/arm/v5", "linux/arm/v4", false, false)]
    // arm64/v8.x runs v8.x…v8; arm64/v9.x runs v9.x…v9 and v8.(x+5, at most 9)…v8
    [InlineData("linux/arm64/v8.2", "linux/arm64/v8.1", true, false)]
    [InlineData("linux/arm64/v8.2", "linux/arm64/v8.3", false, false)]
    [InlineData("linux/arm64/v9.2", "linux/arm64/v8.7", true, false)]
    [InlineData("linux/arm64/v9.2", "linux/arm64/v8.8", false, false)]
    [InlineData("linux/arm64/v9.5", "linux/arm64/v8.9", true, false)]
    [InlineData("linux/arm64/v9.2", "linux/arm/v8", true, false)]
    [InlineData("linux/arm64/v10", "linux/arm64/v10", false, true)]   // unknown arm64 variant: Only matches nothing
    // Windows: os.version compatibility, win32k ignored
    [InlineData("windows(10.0.17763)/amd64", "windows(10.0.17763.5830)/amd64", true, true)]
    [InlineData("windows(10.0.20348)/amd64", "windows(10.0.17763)/amd64", false, false)]
    [InlineData("windows(10.0.26100)/amd64", "windows(10.0.20348)/amd64", true, true)]
    [InlineData("windows(10.0.26200)/amd64", "windows(10.0.20348)/amd64", false, false)]
    [InlineData("windows(10.0.26200)/amd64", "windows(10.0.26100)/amd64", true, true)]
    [InlineData("windows/amd64", "windows(10.0.26100)/amd64", true, true)]
    [InlineData("windows(10.0.20348)/amd64", "windows(10.0.20348+win32k)/amd64", true, true)]
    // os.features: the candidate's must be a subset of the spec's
    [InlineData("linux(+a+b)/amd64", "linux(+b)/amd64", true, true)]
    [InlineData("linux/amd64", "linux(+a)/amd64", false, false)]
    public void Only_follows_containerd_fallbacks_and_OnlyStrict_does_not(string spec, string candidate, bool only, bool strict)
    {
        var s = P.Parse(spec);
        var c = P.Parse(candidate);
        Assert.Equal(only, P.Only(s).Match(c));
        Assert.Equal(strict, P.OnlyStrict(s).Match(c));
    }

    [Fact]
    public void Only_sorts_best_match_first()
    {
        var candidates = new[] { "linux/arm/v5", "linux/386", "linux/arm/v7", "linux/arm64", "linux/amd64", "linux/arm/v6", "linux/arm64/v8.1" }
            .Select(P.Parse).ToList();
        var comparer = P.Only(P.Parse("linux/arm64"));
        candidates.Sort((a, b) => comparer.Less(a, b) ? -1 : comparer.Less(b, a) ? 1 : 0);
        Assert.Equal(["linux/arm64", "linux/arm/v7", "linux/arm/v6", "linux/arm/v5"],
            candidates.Where(comparer.Match).Select(P.Format));
    }

    [Fact]
    public void Ordered_prefers_earlier_platforms_and_Any_has_no_preference()
    {
        var arm64 = P.Parse("linux/arm64");
        var amd64 = P.Parse("linux/amd64");
        var ppc = P.Parse("linux/ppc64le");
        var ordered = P.Ordered(amd64, arm64);
        Assert.True(ordered.Less(amd64, arm64));
        Assert.False(ordered.Less(arm64, amd64));
        Assert.True(ordered.Less(arm64, ppc));
        Assert.False(ordered.Match(ppc));

        var any = P.Any(amd64, arm64);
        Assert.False(any.Less(amd64, arm64));
        Assert.False(any.Less(arm64, amd64));
        Assert.True(any.Less(arm64, ppc));

        Assert.True(P.All.Match(ppc));
        Assert.False(P.All.Less(amd64, ppc));
    }

    [Fact]
    public void Huge_variants_do_not_expand_the_fallback_chain()
    {
        var spec = Pl("linux", "amd64", "v9223372036854775807");
        var only = P.Only(spec);
        Assert.True(only.Match(Pl("linux", "386")));
        Assert.True(only.Match(Pl("linux", "amd64", "v9223372036854775806")));
        Assert.True(only.Match(Pl("linux", "amd64")));
        Assert.True(only.Less(Pl("linux", "amd64", "v3"), Pl("linux", "amd64", "v2")));
        Assert.True(P.Only(Pl("linux", "arm", "v9223372036854775807")).Match(Pl("linux", "arm", "v6")));
    }

    [Fact]
    public void Default_describes_this_process()
    {
        var d = P.Default();
        var expectedOS = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "darwin" : d.OS;
        Assert.Equal(expectedOS, d.OS);
        var expectedArch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "386",
            _ => d.Architecture,
        };
        Assert.Equal(expectedArch, d.Architecture);
        Assert.Equal(OperatingSystem.IsWindows(), d.OSVersion is not null);
        Assert.True(P.Only(d).Match(d));

        using (P.OverrideDefault(Pl("windows", "arm64", "v8", "10.0.26100")))
        {
            var p = P.Parse("linux");
            Assert.Equal("arm64", p.Architecture);
            Assert.Null(p.Variant);                                // only an arm host lends its variant
            Assert.Equal("windows", P.Parse("arm64").OS);
        }

        using (P.OverrideDefault(Pl("linux", "arm", "v6")))
        {
            Assert.Equal("v6", P.Parse("linux").Variant);
        }

        Assert.Same(d, P.Default());
    }
}
