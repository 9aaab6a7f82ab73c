using System.Text;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Content;

/// <summary>containerd's label rules (labels.Validate): a key and its value together hold at most 4096 bytes of UTF-8.</summary>
public static class LabelValidation
{
    /// <summary>The most UTF-8 bytes a label's key and value may hold together.</summary>
    public const int MaxSize = 4096;

    /// <summary>Throws <see cref="InvalidArgumentException"/> (<c>InvalidLabel</c>) for an empty key or one that, with its value, exceeds <see cref="MaxSize"/>.</summary>
    public static void Validate(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        value ??= "";
        if (key.Length == 0)
        {
            throw new InvalidArgumentException("a label key cannot be empty", ErrorIds.InvalidLabel) { Target = key };
        }
        var size = Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        if (size > MaxSize)
        {
            var shown = key.Length > 40 ? key[..40] + "…" : key;
            throw new InvalidArgumentException(
                $"label key and value greater than maximum size ({MaxSize} bytes): key \"{shown}\" and its value hold {size} bytes",
                ErrorIds.InvalidLabel) { Target = key };
        }
    }
}
