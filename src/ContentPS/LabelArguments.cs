using System.Collections;
using System.Globalization;
using System.Management.Automation;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;

namespace ContentPS;

/// <summary>Turns a <c>-Label</c> hashtable into the engine's string → string labels.</summary>
internal static class LabelArguments
{
    /// <summary>
    /// Keys must be non-empty strings; values strings or scalars (numbers, booleans: converted with the
    /// invariant culture). <c>$null</c> becomes "" (which deletes the key where labels are updated per key).
    /// Arrays, hashtables and other objects are InvalidArgument (<c>InvalidLabel</c>).
    /// </summary>
    public static Dictionary<string, string> Convert(IDictionary? labels)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (labels is null) return result;
        foreach (DictionaryEntry entry in labels)
        {
            var keyValue = entry.Key is PSObject keyWrapper ? keyWrapper.BaseObject : entry.Key;
            if (keyValue is not string key)
            {
                throw new InvalidArgumentException($"label key {entry.Key} is a {entry.Key?.GetType().Name}, not a string", ErrorIds.InvalidLabel) { Target = entry.Key };
            }
            var value = entry.Value is PSObject wrapper ? wrapper.BaseObject : entry.Value;
            var text = value switch
            {
                null => "",
                string s => s,
                bool b => b ? "true" : "false",
                char or sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal =>
                    System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
                _ => throw new InvalidArgumentException(
                    $"label {key}: the value is a {value.GetType().Name}; label values are strings", ErrorIds.InvalidLabel) { Target = key },
            };
            LabelValidation.Validate(key, text);
            result[key] = text;
        }
        return result;
    }
}
