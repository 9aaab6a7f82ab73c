using System.Text.RegularExpressions;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Images;

/// <summary>
/// Image names as the image-spec defines the <c>org.opencontainers.image.ref.name</c> annotation:
/// <code>
/// ref       ::= component ("/" component)*
/// component ::= alphanum (separator alphanum)*
/// alphanum  ::= [A-Za-z0-9]+
/// separator ::= [-._:@+] | "--"
/// </code>
/// so a tag (<c>v1.0</c>) and a full reference (<c>docker.io/library/alpine:3.19</c>, <c>app@sha256:…</c>)
/// are both names. At most <see cref="MaxLength"/> characters.
/// </summary>
public static partial class ImageName
{
    public const int MaxLength = 1024;

    [GeneratedRegex(@"\A[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();

    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Grammar().IsMatch(name);

    /// <summary>Throws <see cref="InvalidArgumentException"/> (<c>InvalidImageName</c>) unless <paramref name="name"/> is valid.</summary>
    public static void Validate(string? name)
    {
        if (IsValid(name)) return;
        var shown = name is null ? "null" : "\"" + (name.Length > 200 ? name[..200] + "…" : name) + "\"";
        var reason = name switch
        {
            null or "" => "it is empty",
            { Length: > MaxLength } => $"it is longer than {MaxLength} characters",
            _ => "use letters and digits, separated by one of - . _ : @ + or --, in components joined by /",
        };
        throw new InvalidArgumentException($"invalid image name {shown}: {reason}", ErrorIds.InvalidImageName) { Target = name };
    }
}
