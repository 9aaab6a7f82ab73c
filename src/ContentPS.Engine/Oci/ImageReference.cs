using System.Diagnostics.CodeAnalysis;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Oci;

/// <summary>
/// A named image reference (<c>[domain/]path[:tag][@digest]</c>) parsed and normalized the way
/// <c>ParseNormalizedNamed</c> of github.com/distribution/reference v0.6 does it, the parser
/// Docker uses: <c>ubuntu</c> is <c>docker.io/library/ubuntu</c>, <c>index.docker.io</c> is
/// <c>docker.io</c>, and a reference may carry both a tag and a digest.
/// </summary>
/// <remarks>
/// Two references are equal when their full strings (<see cref="ToString"/>) are equal.
/// </remarks>
public sealed class ImageReference : IEquatable<ImageReference>
{
    /// <summary>The domain of Docker Hub that familiar names expand to.</summary>
    public const string DefaultDomain = "docker.io";

    /// <summary>The legacy Docker Hub domain, normalized to <see cref="DefaultDomain"/>.</summary>
    public const string LegacyDefaultDomain = "index.docker.io";

    /// <summary>The namespace of official images on Docker Hub, without its trailing slash.</summary>
    public const string OfficialRepositoryNamespace = "library";

    /// <summary>The tag <see cref="WithDefaultTag"/> adds.</summary>
    public const string DefaultTag = "latest";

    /// <summary>The longest allowed <see cref="Path"/>, in characters.</summary>
    public const int RepositoryNameTotalLengthMax = ReferenceGrammar.RepositoryNameTotalLengthMax;

    private const string OfficialRepoPrefix = OfficialRepositoryNamespace + "/";

    private readonly string _string;

    private ImageReference(string domain, string path, string? tag, string? digest)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
        FullName = domain.Length == 0 ? path : domain + "/" + path;

        string familiarName = FullName;
        if (domain == DefaultDomain)
        {
            familiarName = path;
            if (path.StartsWith(OfficialRepoPrefix, StringComparison.Ordinal)
                && path.IndexOf('/', OfficialRepoPrefix.Length) < 0)
            {
                familiarName = path[OfficialRepoPrefix.Length..];
            }
        }
        FamiliarName = familiarName;
        _string = FullName + Suffix(tag, digest);
        FamiliarString = familiarName + Suffix(tag, digest);
    }

    /// <summary>The registry host and optional port, e.g. <c>docker.io</c> or <c>localhost:5000</c>.</summary>
    /// <remarks>
    /// Empty only in the rare case distribution also leaves it empty: the first element was taken for
    /// a domain during normalization (it holds '.', ':' or an uppercase letter) but is not a valid
    /// host while the whole name is a valid path, e.g. <c>a_b.c/app</c>.
    /// </remarks>
    public string Domain { get; }

    /// <summary>The repository path inside the registry, e.g. <c>library/ubuntu</c>.</summary>
    public string Path { get; }

    /// <summary>The tag, or null.</summary>
    public string? Tag { get; }

    /// <summary>The digest (<c>algorithm:hex</c>), or null.</summary>
    public string? Digest { get; }

    /// <summary><see cref="Domain"/>/<see cref="Path"/> (distribution's <c>Name()</c>), e.g. <c>docker.io/library/ubuntu</c>.</summary>
    public string FullName { get; }

    /// <summary>The name as Docker shows it, e.g. <c>ubuntu</c>, <c>org/app</c>, <c>quay.io/org/app</c>.</summary>
    public string FamiliarName { get; }

    /// <summary><see cref="FamiliarName"/> plus <c>:tag</c> and <c>@digest</c> when present.</summary>
    public string FamiliarString { get; }

    /// <summary>The full normalized string: <see cref="FullName"/>[:tag][@digest].</summary>
    public override string ToString() => _string;

    /// <summary>
    /// Parses a reference, normalizing familiar Docker Hub names (distribution's
    /// <c>ParseNormalizedNamed</c>).
    /// </summary>
    /// <exception cref="InvalidArgumentException">
    /// The reference is not valid; <c>ErrorId</c> is <c>InvalidReference</c>, <c>Target</c> the input and
    /// the message distribution's error text.
    /// </exception>
    public static ImageReference Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!TryParse(reference, out ImageReference? result, out string? error))
        {
            throw new InvalidArgumentException(error, ErrorIds.InvalidReference) { Target = reference };
        }
        return result;
    }

    /// <summary>Like <see cref="Parse"/>, but returns false and distribution's error message instead of throwing.</summary>
    public static bool TryParse(
        string? reference,
        [NotNullWhen(true)] out ImageReference? result,
        [NotNullWhen(false)] out string? error)
    {
        error = ParseNormalized(reference ?? string.Empty, out result);
        return error is null;
    }

    /// <summary>
    /// Returns this reference with the tag <c>latest</c> when it has neither a tag nor a digest
    /// (distribution's <c>TagNameOnly</c>); otherwise returns this reference.
    /// </summary>
    public ImageReference WithDefaultTag() =>
        Tag is null && Digest is null ? new ImageReference(Domain, Path, DefaultTag, null) : this;

    /// <summary>Returns this reference with its tag replaced; a digest is kept.</summary>
    /// <exception cref="InvalidArgumentException">The tag is not valid (<c>InvalidTag</c>).</exception>
    public ImageReference WithTag(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (!ReferenceGrammar.IsTag(tag))
        {
            throw new InvalidArgumentException(ReferenceGrammar.ErrTagInvalidFormat, ErrorIds.InvalidTag) { Target = tag };
        }
        return new ImageReference(Domain, Path, tag, Digest);
    }

    /// <summary>Returns this reference with its digest replaced; a tag is kept.</summary>
    /// <remarks>
    /// The digest must match the reference grammar (else "invalid digest format") and, like every
    /// digest <see cref="Parse"/> accepts, pass go-digest's checks (sha256, sha384 or sha512 with
    /// lowercase hex of the right length), so the result always parses back to itself.
    /// </remarks>
    /// <exception cref="InvalidArgumentException">The digest is not valid (<c>InvalidDigest</c>).</exception>
    public ImageReference WithDigest(string digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        string? error = ReferenceGrammar.IsDigest(digest)
            ? ReferenceGrammar.ValidateChecksum(digest)
            : ReferenceGrammar.ErrDigestInvalidFormat;
        if (error is not null)
        {
            throw new InvalidArgumentException(error, ErrorIds.InvalidDigest) { Target = digest };
        }
        return new ImageReference(Domain, Path, Tag, digest);
    }

    public bool Equals(ImageReference? other) =>
        other is not null && string.Equals(_string, other._string, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ImageReference);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_string);

    public static bool operator ==(ImageReference? left, ImageReference? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(ImageReference? left, ImageReference? right) => !(left == right);

    private static string Suffix(string? tag, string? digest) =>
        (tag is null ? "" : ":" + tag) + (digest is null ? "" : "@" + digest);

    /// <summary>The steps of distribution's ParseNormalizedNamed followed by Parse; null when valid.</summary>
    private static string? ParseNormalized(string s, out ImageReference? result)
    {
        result = null;
        if (ReferenceGrammar.IsIdentifier(s))
        {
            return $"invalid repository name ({s}), cannot specify 64-byte hexadecimal strings";
        }

        (string domain, string remainder) = SplitDockerDomain(s);
        int tagSeparator = remainder.IndexOf(':');
        string remote = tagSeparator >= 0 ? remainder[..tagSeparator] : remainder;
        if (ReferenceGrammar.HasUppercase(remote))
        {
            return $"{ReferenceGrammar.ErrInvalidFormat}: repository name ({remote}) must be lowercase";
        }

        string full = domain + "/" + remainder;
        if (!ReferenceGrammar.TryMatchReference(full, out string name, out string? tag, out string? digest))
        {
            return ReferenceGrammar.TryMatchReference(ReferenceGrammar.ToLowerForGrammar(full), out _, out _, out _)
                ? ReferenceGrammar.ErrNameContainsUppercase
                : ReferenceGrammar.ErrInvalidFormat;
        }

        ReferenceGrammar.TrySplitName(name, out string nameDomain, out string path);
        if (path.Length > RepositoryNameTotalLengthMax)
        {
            return ReferenceGrammar.ErrNameTooLong;
        }
        if (digest is not null && ReferenceGrammar.ValidateChecksum(digest) is { } digestError)
        {
            return digestError;
        }

        result = new ImageReference(nameDomain, path, tag, digest);
        return null;
    }

    /// <summary>
    /// Splits off the domain before any validation (distribution's splitDockerDomain): the first
    /// element is a domain when it is "localhost", or holds '.' or ':', or is not lowercase;
    /// "index.docker.io" becomes "docker.io"; a single-element Docker Hub path gets "library/".
    /// </summary>
    private static (string Domain, string Remainder) SplitDockerDomain(string name)
    {
        int slash = name.IndexOf('/');
        if (slash < 0)
        {
            return (DefaultDomain, OfficialRepoPrefix + name);
        }

        string maybeDomain = name[..slash];
        string maybeRemainder = name[(slash + 1)..];
        string domain;
        string remainder;
        if (maybeDomain == "localhost")
        {
            (domain, remainder) = (maybeDomain, maybeRemainder);
        }
        else if (maybeDomain == LegacyDefaultDomain)
        {
            (domain, remainder) = (DefaultDomain, maybeRemainder);
        }
        else if (maybeDomain.AsSpan().IndexOfAny('.', ':') >= 0 || ReferenceGrammar.HasUppercase(maybeDomain))
        {
            (domain, remainder) = (maybeDomain, maybeRemainder);
        }
        else
        {
            (domain, remainder) = (DefaultDomain, name);
        }

        if (domain == DefaultDomain && !remainder.Contains('/'))
        {
            remainder = OfficialRepoPrefix + remainder;
        }
        return (domain, remainder);
    }
}
