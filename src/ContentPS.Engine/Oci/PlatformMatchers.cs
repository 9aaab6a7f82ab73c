namespace ContentPS.Engine.Oci;

/// <summary>Matches platforms declared by an image or a runtime (containerd's <c>platforms.Matcher</c>).</summary>
public interface IPlatformMatcher
{
    bool Match(Platform platform);
}

/// <summary>
/// A matcher that also orders platforms (containerd's <c>platforms.MatchComparer</c>):
/// <c>Less(a, b)</c> is true when <paramref name="a"/> should be preferred over <paramref name="b"/>.
/// </summary>
public interface IPlatformMatchComparer : IPlatformMatcher
{
    bool Less(Platform a, Platform b);
}

/// <summary>
/// One step of a matcher vector: either one platform, or a run of consecutive variants of one
/// platform (amd64/v(N-1)…v1, arm/v(N-1)…v5). A run is never expanded, so an absurd variant such as
/// <c>amd64/v9223372036854775807</c> costs nothing. <see cref="Rank"/> is the position of the first
/// platform of this step that matches, or null when none does.
/// </summary>
internal abstract class RankedStep
{
    public abstract long? Rank(Platform candidate);
}

/// <summary>containerd's <c>NewMatcher</c>: equality on normalized os/arch/variant, os.version and os.features rules.</summary>
internal sealed class PlatformMatcher : RankedStep, IPlatformMatcher
{
    private readonly Platform _platform;                 // normalized
    private readonly WindowsOSVersion? _windowsVersion;  // set when the raw os is exactly "windows"

    public PlatformMatcher(Platform platform)
    {
        _platform = Platforms.Normalize(platform);
        if (platform.OS == "windows")
        {
            _windowsVersion = WindowsOSVersion.Parse(platform.OSVersion);
        }
    }

    public bool Match(Platform candidate) => MatchExceptVariant(candidate, out var variant) && variant == (_platform.Variant ?? "");

    public override long? Rank(Platform candidate) => Match(candidate) ? 0 : null;

    /// <summary>Checks everything but the variant; returns the candidate's normalized variant.</summary>
    internal bool MatchExceptVariant(Platform candidate, out string normalizedVariant)
    {
        normalizedVariant = "";
        if (_windowsVersion is not null)
        {
            // Earlier containerd releases ignored win32k when matching: drop its first occurrence.
            candidate = WithoutFirstWin32k(candidate);
        }

        var normalized = Platforms.Normalize(candidate);
        normalizedVariant = normalized.Variant ?? "";
        if (normalized.OS != _platform.OS || normalized.Architecture != _platform.Architecture)
        {
            return false;
        }

        if (_windowsVersion is { } v && !v.MatchContainer(candidate.OSVersion))
        {
            return false;
        }

        return FeaturesSubset(normalized.OSFeatures, _platform.OSFeatures);
    }

    /// <summary>True when the candidate's (sorted, unique) features are a subset of the spec's (sorted, unique) features.</summary>
    internal static bool FeaturesSubset(IReadOnlyList<string>? candidate, IReadOnlyList<string>? spec)
    {
        int n = candidate?.Count ?? 0;
        if (n == 0)
        {
            return true;
        }

        int m = spec?.Count ?? 0;
        if (m < n)
        {
            return false;
        }

        int j = 0;
        foreach (var feature in candidate!)
        {
            bool found = false;
            for (; j < m; j++)
            {
                if (feature == spec![j])
                {
                    found = true;
                    j++;
                    break;
                }

                if (GoString.Compare(feature, spec[j]) < 0)
                {
                    return false;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    private static Platform WithoutFirstWin32k(Platform p)
    {
        if (p.OSFeatures is not { Count: > 0 } features)
        {
            return p;
        }

        int i = -1;
        for (int k = 0; k < features.Count; k++)
        {
            if (features[k] == "win32k")
            {
                i = k;
                break;
            }
        }

        if (i < 0)
        {
            return p;
        }

        var rest = new List<string>(features);
        rest.RemoveAt(i);
        return new Platform
        {
            OS = p.OS,
            Architecture = p.Architecture,
            Variant = p.Variant,
            OSVersion = p.OSVersion,
            OSFeatures = rest,
        };
    }
}

/// <summary>
/// The platforms <c>{template with variant "v" + k}</c> for k = <c>high</c> down to <c>low</c>, in that order
/// (containerd's amd64 and arm fallback loops). Each would be normalized by its matcher: amd64/v1 becomes amd64.
/// </summary>
internal sealed class VariantRunStep : RankedStep
{
    private readonly PlatformMatcher _template;
    private readonly string _architecture;
    private readonly long _high;
    private readonly long _low;

    public VariantRunStep(Platform template, long high, long low)
    {
        _template = new PlatformMatcher(template);
        _architecture = Platforms.Normalize(template).Architecture;
        _high = high;
        _low = low;
    }

    public override long? Rank(Platform candidate)
    {
        if (!_template.MatchExceptVariant(candidate, out var variant))
        {
            return null;
        }

        long k;
        if (variant.Length == 0)
        {
            if (_architecture != "amd64")
            {
                return null;
            }

            k = 1; // amd64/v1 normalizes to amd64
        }
        else if (!TryCanonicalVersion(variant, out k) || (_architecture == "amd64" && k == 1))
        {
            return null;
        }

        return k <= _high && k >= _low ? _high - k : null;
    }

    /// <summary>"v" followed by the canonical decimal form of a non-negative number.</summary>
    private static bool TryCanonicalVersion(string variant, out long k)
    {
        k = 0;
        if (variant.Length < 2 || variant[0] != 'v' || (variant[1] == '0' && variant.Length > 2))
        {
            return false;
        }

        for (int i = 1; i < variant.Length; i++)
        {
            if (variant[i] is < '0' or > '9')
            {
                return false;
            }
        }

        return long.TryParse(variant.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out k);
    }
}

/// <summary>containerd's <c>orderedPlatformComparer</c>: matches any step, prefers earlier steps.</summary>
internal sealed class OrderedComparer(IReadOnlyList<RankedStep> steps) : IPlatformMatchComparer
{
    public bool Match(Platform platform) => steps.Any(step => step.Rank(platform) is not null);

    public bool Less(Platform a, Platform b)
    {
        foreach (var step in steps)
        {
            var ra = step.Rank(a);
            var rb = step.Rank(b);
            if (ra is null && rb is null)
            {
                continue;
            }

            if (ra is not null && (rb is null || ra < rb))
            {
                return true;
            }

            if (rb is not null && (ra is null || rb < ra))
            {
                return false;
            }

            // Both match the same platform: prefer the one with more features.
            int fa = a.OSFeatures?.Count ?? 0, fb = b.OSFeatures?.Count ?? 0;
            return fa > fb;
        }

        if ((a.OSFeatures?.Count ?? 0) > 0 || (b.OSFeatures?.Count ?? 0) > 0)
        {
            return Less(Platforms.WithoutFeatures(a), Platforms.WithoutFeatures(b));
        }

        return false;
    }
}

/// <summary>containerd's <c>anyPlatformComparer</c>: matches any step, no preference among matches.</summary>
internal sealed class AnyComparer(IReadOnlyList<RankedStep> steps) : IPlatformMatchComparer
{
    public bool Match(Platform platform) => steps.Any(step => step.Rank(platform) is not null);

    public bool Less(Platform a, Platform b)
    {
        bool ma = Match(a), mb = Match(b);
        int fa = a.OSFeatures?.Count ?? 0, fb = b.OSFeatures?.Count ?? 0;
        if (ma && mb)
        {
            return fa > fb;
        }

        if (!ma && !mb && (fa > 0 || fb > 0))
        {
            return Less(Platforms.WithoutFeatures(a), Platforms.WithoutFeatures(b));
        }

        return ma && !mb;
    }
}

/// <summary>containerd's <c>All</c>: matches every platform, no preference.</summary>
internal sealed class AllComparer : IPlatformMatchComparer
{
    public bool Match(Platform platform) => true;

    public bool Less(Platform a, Platform b) => false;
}

/// <summary>
/// A Windows os.version as major.minor.build (containerd's <c>windowsOSVersion</c>) and the host/container
/// compatibility rule: same major.minor; before Windows Server 2022 the build must be equal; from 2022 on a
/// host runs containers from the previous LTSC build up to its own build.
/// </summary>
internal readonly record struct WindowsOSVersion(byte Major, byte Minor, ushort Build)
{
    private const ushort Ltsc2022 = 20348;
    private static readonly ushort[] CompatLtscReleases = [Ltsc2022, 26100];

    public bool IsEmpty => Major == 0 && Minor == 0 && Build == 0;

    /// <summary>Unparsable or shorter than three parts gives the empty version 0.0.0.</summary>
    public static WindowsOSVersion Parse(string? version)
    {
        if (version is null || version.Count('.') < 2)
        {
            return default;
        }

        var parts = version.Split('.', 4);
        if (!TryUint(parts[0], byte.MaxValue, out var major)
            || !TryUint(parts[1], byte.MaxValue, out var minor)
            || !TryUint(parts[2], ushort.MaxValue, out var build))
        {
            return default;
        }

        return new WindowsOSVersion((byte)major, (byte)minor, (ushort)build);
    }

    /// <summary>Whether a host of this version (the matcher's) runs a container of <paramref name="container"/>.</summary>
    public bool MatchContainer(string? container)
    {
        if (IsEmpty || string.IsNullOrEmpty(container))
        {
            return true;
        }

        var ctr = Parse(container);
        if (Major != ctr.Major || Minor != ctr.Minor)
        {
            return false;
        }

        if (Build < Ltsc2022)
        {
            return Build == ctr.Build;
        }

        ushort supported = Ltsc2022;
        for (int i = CompatLtscReleases.Length - 1; i >= 0; i--)
        {
            if (Build > CompatLtscReleases[i])
            {
                supported = CompatLtscReleases[i];
                break;
            }
        }

        return supported <= ctr.Build && ctr.Build <= Build;
    }

    private static bool TryUint(string s, ulong max, out ulong value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }

        foreach (char c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = value * 10 + (ulong)(c - '0');
            if (value > max)
            {
                return false;
            }
        }

        return true;
    }
}
