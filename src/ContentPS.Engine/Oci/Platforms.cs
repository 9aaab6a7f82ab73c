using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Oci;

/// <summary>
/// Platform specifiers and matchers, agreeing with containerd's <c>github.com/containerd/platforms</c>
/// v1.0 (checked against v1.0.0-rc.4 by the oracle data in the engine tests).
/// </summary>
/// <remarks>
/// Specifier grammar: <c>&lt;os&gt;[(&lt;osversion&gt;[+&lt;feature&gt;]*)]</c>, or an architecture alone, or
/// <c>&lt;os&gt;[(…)]/&lt;arch&gt;[/&lt;variant&gt;]</c>. A lone known OS takes this machine's architecture; a lone
/// known architecture takes this machine's OS. With two or three components neither the OS nor the
/// architecture is checked against a list. Inside the parentheses '%', '+', '(', ')' and '/' are
/// percent-encoded.
/// </remarks>
public static class Platforms
{
    private const string SpecifierPattern = "^[A-Za-z0-9_.-]+$";
    private const string OSPattern = @"^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?$";

    // Go's '$' is end of text; .NET's would also accept a trailing "\n", hence \z.
    private static readonly Regex SpecifierRe = new(@"^[A-Za-z0-9_.-]+\z", RegexOptions.CultureInvariant);
    private static readonly Regex OSRe = new(@"^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?\z", RegexOptions.CultureInvariant);

    private static readonly Lazy<Platform> HostPlatform = new(DetectHost);
    private static readonly AsyncLocal<Platform?> DefaultOverride = new();

    /// <summary>Parses a platform specifier such as <c>linux/arm64</c>, <c>arm64</c>, <c>windows(10.0.17763+win32k)/amd64</c>.</summary>
    /// <exception cref="InvalidArgumentException">ErrorId <c>InvalidPlatform</c>, Target the input.</exception>
    public static Platform Parse(string specifier)
    {
        ArgumentNullException.ThrowIfNull(specifier);
        if (!TryParse(specifier, out var platform, out var error))
        {
            throw new InvalidArgumentException(error!, errorId: ErrorIds.InvalidPlatform) { Target = specifier };
        }

        return platform!;
    }

    /// <summary>Like <see cref="Parse"/>, returning containerd's error message instead of throwing. Null is parsed as "".</summary>
    public static bool TryParse(string? specifier, out Platform? platform, out string? error)
    {
        platform = null;
        error = ParseCore(specifier ?? "", out var parsed);
        if (error is not null)
        {
            return false;
        }

        platform = parsed;
        return true;
    }

    private static string? ParseCore(string specifier, out Platform? platform)
    {
        platform = null;
        var quoted = GoString.Quote(specifier);
        if (specifier.Contains('*'))
        {
            return $"{quoted}: wildcards not yet supported: invalid argument";
        }

        var parts = specifier.Split('/', 4);
        string os = "", osVersion = "";
        List<string>? features = null;
        for (int i = 0; i < parts.Length; i++)
        {
            if (i == 0)
            {
                var m = OSRe.Match(parts[0]);
                if (!m.Success)
                {
                    return $"{GoString.Quote(parts[0])} is an invalid OS component of {quoted}: OSAndVersion specifier component must match {GoString.Quote(OSPattern)}: invalid argument";
                }

                os = NormalizeOS(m.Groups[1].Value);
                if (!GoString.TryPathUnescape(m.Groups[2].Value, out osVersion, out var versionError))
                {
                    return $"{quoted} has an invalid OS version {GoString.Quote(m.Groups[2].Value)}: {versionError}";
                }

                var rawFeatures = m.Groups[3].Value;
                if (rawFeatures.Length > 0)
                {
                    foreach (var raw in rawFeatures[1..].Split('+'))
                    {
                        // The pattern already rules out empty and blank features.
                        if (!GoString.TryPathUnescape(raw, out var feature, out var featureError))
                        {
                            return $"{quoted} has invalid OS features: invalid os feature {GoString.Quote(raw)}: {featureError}";
                        }

                        if (feature.Length > 0)
                        {
                            (features ??= []).Add(feature);
                        }
                    }
                }
            }
            else if (!SpecifierRe.IsMatch(parts[i]))
            {
                return $"{GoString.Quote(parts[i])} is an invalid component of {quoted}: platform specifier component must match {GoString.Quote(SpecifierPattern)}: invalid argument";
            }
        }

        string arch, variant;
        switch (parts.Length)
        {
            case 1:
                if (IsKnownOS(os))
                {
                    // An OS alone: this machine's architecture (and arm variant, v7 being the default).
                    var host = Default();
                    arch = host.Architecture;
                    variant = arch == "arm" && (host.Variant ?? "") != "v7" ? host.Variant ?? "" : "";
                    platform = Create(os, arch, variant, osVersion, features);
                    return null;
                }

                (arch, variant) = NormalizeArch(parts[0], "");
                if (arch == "arm" && variant == "v7")
                {
                    variant = "";
                }

                if (IsKnownArch(arch))
                {
                    platform = Create(Default().OS, arch, variant, osVersion, features);
                    return null;
                }

                return $"{quoted}: unknown operating system or architecture: invalid argument";

            case 2:
                (arch, variant) = NormalizeArch(parts[1], "");
                if (arch == "arm" && variant == "v7")
                {
                    variant = "";
                }

                platform = Create(os, arch, variant, osVersion, features);
                return null;

            case 3:
                (arch, variant) = NormalizeArch(parts[1], parts[2]);
                if (arch == "arm64" && variant.Length == 0)
                {
                    variant = "v8";
                }

                platform = Create(os, arch, variant, osVersion, features);
                return null;

            default:
                return $"{quoted}: cannot parse platform specifier: invalid argument";
        }
    }

    /// <summary>
    /// The canonical form: OS lower-cased (<c>macos</c>→<c>darwin</c>, empty → this machine's OS), architecture
    /// and variant normalized (<c>aarch64</c>→<c>arm64</c>, <c>armhf</c>→<c>arm/v7</c>, <c>arm</c>→<c>arm/v7</c>,
    /// <c>arm64/v8</c>→<c>arm64</c>, <c>amd64/v1</c>→<c>amd64</c>, …), OS features sorted and de-duplicated.
    /// Empty strings and lists become null.
    /// </summary>
    public static Platform Normalize(Platform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var (arch, variant) = NormalizeArch(platform.Architecture ?? "", platform.Variant ?? "");
        List<string>? features = null;
        if (platform.OSFeatures is { Count: > 0 } raw)
        {
            var sorted = raw.ToList();
            sorted.Sort(GoString.CodePointComparer);
            features = new List<string>(sorted.Count);
            foreach (var f in sorted)
            {
                if (features.Count == 0 || features[^1] != f)
                {
                    features.Add(f);
                }
            }
        }

        return Create(NormalizeOS(platform.OS ?? ""), arch, variant, platform.OSVersion ?? "", features);
    }

    /// <summary><c>os/arch[/variant]</c> as given (not normalized); <c>unknown</c> when the OS is empty.</summary>
    public static string Format(Platform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        if (string.IsNullOrEmpty(platform.OS))
        {
            return "unknown";
        }

        return GoString.PathJoin(platform.OS, platform.Architecture, platform.Variant);
    }

    /// <summary>Like <see cref="Format"/>, with <c>(osversion+feature…)</c> after the OS when either is present.</summary>
    public static string FormatAll(Platform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        if (string.IsNullOrEmpty(platform.OS))
        {
            return "unknown";
        }

        if (string.IsNullOrEmpty(platform.OSVersion) && (platform.OSFeatures?.Count ?? 0) == 0)
        {
            return GoString.PathJoin(platform.OS, platform.Architecture, platform.Variant);
        }

        var b = new StringBuilder(platform.OS);
        var osVersion = EncodeOSOption(platform.OSVersion ?? "");
        var features = FormatOSFeatures(platform.OSFeatures);
        if (osVersion.Length > 0 || features.Length > 0)
        {
            b.Append('(').Append(osVersion);
            if (features.Length > 0)
            {
                b.Append('+').Append(features);
            }

            b.Append(')');
        }

        return GoString.PathJoin(b.ToString(), platform.Architecture, platform.Variant);
    }

    /// <summary>
    /// This machine's platform (containerd's <c>DefaultSpec</c>): OS and process architecture from the runtime,
    /// arm variants v7/v6 (arm64 reports v8 as containerd does), and on Windows the os.version major.minor.build.
    /// </summary>
    public static Platform Default() => DefaultOverride.Value ?? HostPlatform.Value;

    /// <summary>
    /// Matches <paramref name="platform"/> and what it can run, best first: amd64/vN also matches amd64/v(N-1)…v1
    /// and 386; arm/vN matches arm/v(N-1)…v5; arm64/v8.x matches arm64/v8.x…v8 then arm/v8…v5; arm64/v9.x
    /// matches arm64/v9.x…v9, arm64/v8.(x+5, at most 9)…v8, then arm/v8…v5.
    /// </summary>
    public static IPlatformMatchComparer Only(Platform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return new OrderedComparer(PlatformVector(Normalize(platform)));
    }

    /// <summary>Matches only <paramref name="platform"/> (in any non-canonical spelling), with no fallbacks.</summary>
    public static IPlatformMatchComparer OnlyStrict(Platform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return new OrderedComparer([new PlatformMatcher(Normalize(platform))]);
    }

    /// <summary>Matches any of <paramref name="platforms"/>, preferring them in the order given.</summary>
    public static IPlatformMatchComparer Ordered(params Platform[] platforms)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        return new OrderedComparer(platforms.Select(p => (RankedStep)new PlatformMatcher(p)).ToArray());
    }

    /// <summary>Matches any of <paramref name="platforms"/>, with no preference among them.</summary>
    public static IPlatformMatchComparer Any(params Platform[] platforms)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        return new AnyComparer(platforms.Select(p => (RankedStep)new PlatformMatcher(p)).ToArray());
    }

    /// <summary>Matches every platform, with no preference.</summary>
    public static IPlatformMatchComparer All { get; } = new AllComparer();

    /// <summary>Makes <see cref="Default"/> return <paramref name="platform"/> in this async flow until disposed (tests).</summary>
    internal static IDisposable OverrideDefault(Platform platform)
    {
        var previous = DefaultOverride.Value;
        DefaultOverride.Value = platform;
        return new Restore(() => DefaultOverride.Value = previous);
    }

    internal static Platform WithoutFeatures(Platform p) =>
        (p.OSFeatures?.Count ?? 0) == 0
            ? p
            : new Platform { OS = p.OS, Architecture = p.Architecture, Variant = p.Variant, OSVersion = p.OSVersion };

    private static List<RankedStep> PlatformVector(Platform p)
    {
        var steps = new List<RankedStep>();
        var variant = p.Variant ?? "";
        switch (p.Architecture)
        {
            case "amd64":
            {
                steps.Add(new PlatformMatcher(p));
                if (GoString.TryAtoi(TrimV(variant), out var n) && n > 1)
                {
                    steps.Add(new VariantRunStep(p, n - 1, 1));
                }

                steps.Add(new PlatformMatcher(With(p, "386", "")));
                break;
            }

            case "arm":
            {
                steps.Add(new PlatformMatcher(p));
                if (GoString.TryAtoi(TrimV(variant), out var n) && n > 5)
                {
                    steps.Add(new VariantRunStep(p, n - 1, 5));
                }

                break;
            }

            case "arm64":
            {
                if (variant.Length == 0)
                {
                    variant = "v8";
                }

                // v8.x runs v8.x…v8; v9.x runs v9.x…v9 then v8.(x+5, capped at 9)…v8. Anything else matches nothing.
                if (!TryArm64Version(variant, out int major, out int minor))
                {
                    break;
                }

                AddArm64Run(steps, p, major, minor);
                if (major == 9)
                {
                    AddArm64Run(steps, p, 8, Math.Min(minor + 5, 9));
                }

                // Every arm64 v8/v9 also runs 32-bit arm/v8 and below.
                steps.AddRange(PlatformVector(With(p, "arm", "v8")));
                break;
            }

            default:
                steps.Add(new PlatformMatcher(p));
                break;
        }

        return steps;

        static string TrimV(string v) => v.StartsWith('v') ? v[1..] : v;
    }

    /// <summary>The arm64 variants containerd knows: v8, v8.0…v8.9, v9, v9.0…v9.7.</summary>
    private static bool TryArm64Version(string variant, out int major, out int minor)
    {
        major = minor = 0;
        switch (variant)
        {
            case "v8": major = 8; return true;
            case "v9": major = 9; return true;
        }

        if (variant.Length == 4 && variant[0] == 'v' && variant[2] == '.' && variant[3] is >= '0' and <= '9')
        {
            major = variant[1] - '0';
            minor = variant[3] - '0';
            return major == 8 || (major == 9 && minor <= 7);
        }

        return false;
    }

    private static void AddArm64Run(List<RankedStep> steps, Platform p, int major, int fromMinor)
    {
        for (int minor = fromMinor; minor >= 0; minor--)
        {
            steps.Add(new PlatformMatcher(With(p, "arm64", minor == 0 ? $"v{major}" : $"v{major}.{minor}")));
        }
    }

    private static Platform With(Platform p, string architecture, string variant) => new()
    {
        OS = p.OS,
        Architecture = architecture,
        Variant = variant.Length == 0 ? null : variant,
        OSVersion = p.OSVersion,
        OSFeatures = p.OSFeatures,
    };

    private static Platform Create(string os, string arch, string variant, string osVersion, IReadOnlyList<string>? features) => new()
    {
        OS = os,
        Architecture = arch,
        Variant = variant.Length == 0 ? null : variant,
        OSVersion = osVersion.Length == 0 ? null : osVersion,
        OSFeatures = features is { Count: > 0 } ? features : null,
    };

    private static string FormatOSFeatures(IReadOnlyList<string>? features)
    {
        if (features is not { Count: > 0 })
        {
            return "";
        }

        var sorted = features.ToList();
        sorted.Sort(GoString.CodePointComparer);
        var b = new StringBuilder();
        string? previous = null;
        foreach (var f in sorted)
        {
            if (string.IsNullOrEmpty(f) || f == previous)
            {
                continue;
            }

            previous = f;
            if (b.Length > 0)
            {
                b.Append('+');
            }

            b.Append(EncodeOSOption(f));
        }

        return b.ToString();
    }

    private static string EncodeOSOption(string value)
    {
        if (value.AsSpan().IndexOfAny("%+()/") < 0)
        {
            return value;
        }

        var b = new StringBuilder(value.Length + 8);
        foreach (char c in value)
        {
            b.Append(c switch
            {
                '%' => "%25",
                '+' => "%2B",
                '(' => "%28",
                ')' => "%29",
                '/' => "%2F",
                _ => c.ToString(),
            });
        }

        return b.ToString();
    }

    internal static string NormalizeOS(string os)
    {
        if (os.Length == 0)
        {
            return Default().OS;
        }

        os = os.ToLowerInvariant();
        return os == "macos" ? "darwin" : os;
    }

    internal static (string Architecture, string Variant) NormalizeArch(string arch, string variant)
    {
        arch = arch.ToLowerInvariant();
        variant = variant.ToLowerInvariant();
        switch (arch)
        {
            case "i386":
                return ("386", "");
            case "x86_64" or "x86-64" or "amd64":
                return ("amd64", variant == "v1" ? "" : variant);
            case "aarch64" or "arm64":
                return ("arm64", variant switch
                {
                    "8" or "v8" or "v8.0" => "",
                    "9" or "9.0" or "v9.0" => "v9",
                    _ => variant,
                });
            case "armhf":
                return ("arm", "v7");
            case "armel":
                return ("arm", "v6");
            case "arm":
                return ("arm", variant switch
                {
                    "" or "7" => "v7",
                    "5" or "6" or "8" => "v" + variant,
                    _ => variant,
                });
            default:
                return (arch, variant);
        }
    }

    internal static bool IsKnownOS(string os) => os is "aix" or "android" or "darwin" or "dragonfly" or "freebsd" or "hurd"
        or "illumos" or "ios" or "js" or "linux" or "nacl" or "netbsd" or "openbsd" or "plan9" or "solaris" or "windows" or "zos";

    internal static bool IsKnownArch(string arch) => arch is "386" or "amd64" or "amd64p32" or "arm" or "armbe" or "arm64"
        or "arm64be" or "ppc64" or "ppc64le" or "loong64" or "mips" or "mipsle" or "mips64" or "mips64le" or "mips64p32"
        or "mips64p32le" or "ppc" or "riscv" or "riscv64" or "s390" or "s390x" or "sparc" or "sparc64" or "wasm";

    private static Platform DetectHost()
    {
        string os =
            OperatingSystem.IsWindows() ? "windows"
            : OperatingSystem.IsAndroid() ? "android"
            : OperatingSystem.IsLinux() ? "linux"
            : OperatingSystem.IsIOS() || OperatingSystem.IsTvOS() ? "ios"
            : OperatingSystem.IsMacOS() || OperatingSystem.IsMacCatalyst() ? "darwin"
            : OperatingSystem.IsFreeBSD() ? "freebsd"
            : OperatingSystem.IsBrowser() ? "js"
            : RuntimeInformation.OSDescription.Split(' ', 2)[0].ToLowerInvariant() switch
            {
                "sunos" => "solaris",
                var name => name, // illumos, netbsd, openbsd, …
            };

        var (arch, variant) = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => ("amd64", ""),
            Architecture.X86 => ("386", ""),
            Architecture.Arm64 => ("arm64", "v8"),
            Architecture.Arm => ("arm", "v7"),
            Architecture.Armv6 => ("arm", "v6"),
            Architecture.Wasm => ("wasm", ""),
            Architecture.S390x => ("s390x", ""),
            Architecture.LoongArch64 => ("loong64", ""),
            Architecture.Ppc64le => ("ppc64le", ""),
            var other => (other.ToString().ToLowerInvariant(), ""),
        };

        string? osVersion = null;
        if (os == "windows")
        {
            var v = Environment.OSVersion.Version;
            osVersion = $"{v.Major}.{v.Minor}.{v.Build}";
        }

        return new Platform
        {
            OS = os,
            Architecture = arch,
            Variant = variant.Length == 0 ? null : variant,
            OSVersion = osVersion,
        };
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
