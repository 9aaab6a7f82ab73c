using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ContentPS.Completion;

/// <summary>
/// Completes <c>-Platform</c> values from the os/arch/variant combinations images are commonly
/// built for. A word matches by prefix of the whole specifier (<c>linux/ar</c> →
/// <c>linux/arm64</c>, <c>linux/arm/v7</c>, …) or, when it has no <c>/</c>, by prefix of the
/// architecture (<c>arm</c> → every arm platform), case-insensitively. Specifiers come out in
/// the order of <see cref="KnownPlatforms"/>, most used first.
/// </summary>
public sealed class PlatformCompleter : IArgumentCompleter
{
    /// <summary>The known platforms, most used first, with what each one is.</summary>
    public static IReadOnlyList<(string Specifier, string Description)> KnownPlatforms { get; } =
    [
        ("linux/amd64", "64-bit x86 Linux"),
        ("linux/arm64", "64-bit ARM Linux (aarch64, arm64/v8)"),
        ("linux/arm/v7", "32-bit ARMv7 Linux (armhf)"),
        ("linux/arm/v6", "32-bit ARMv6 Linux (armel, Raspberry Pi 1 and Zero)"),
        ("linux/386", "32-bit x86 Linux"),
        ("linux/ppc64le", "64-bit little-endian POWER Linux"),
        ("linux/s390x", "IBM Z Linux"),
        ("linux/riscv64", "64-bit RISC-V Linux"),
        ("linux/mips64le", "64-bit little-endian MIPS Linux"),
        ("linux/loong64", "64-bit LoongArch Linux"),
        ("linux/arm/v5", "32-bit ARMv5 Linux"),
        ("linux/amd64/v2", "64-bit x86 Linux, x86-64-v2 microarchitecture level"),
        ("linux/amd64/v3", "64-bit x86 Linux, x86-64-v3 microarchitecture level (AVX2)"),
        ("windows/amd64", "64-bit x86 Windows"),
        ("windows/arm64", "64-bit ARM Windows"),
        ("darwin/arm64", "Apple silicon macOS"),
        ("darwin/amd64", "Intel macOS"),
        ("freebsd/amd64", "64-bit x86 FreeBSD"),
    ];

    /// <summary>The known platforms that <paramref name="wordToComplete"/> starts (see the class remarks).</summary>
    public static IEnumerable<(string Specifier, string Description)> Match(string? wordToComplete)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        IEnumerable<(string Specifier, string Description)> bySpecifier =
            KnownPlatforms.Where(p => p.Specifier.StartsWith(word, StringComparison.OrdinalIgnoreCase));
        if (word.Contains('/'))
        {
            return bySpecifier;
        }

        return bySpecifier.Concat(KnownPlatforms.Where(p =>
            p.Specifier.Split('/')[1].StartsWith(word, StringComparison.OrdinalIgnoreCase)
            && !p.Specifier.StartsWith(word, StringComparison.OrdinalIgnoreCase)));
    }

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Match(wordToComplete).Select(p => new CompletionResult(p.Specifier, p.Specifier, CompletionResultType.ParameterValue, p.Description));
}
