namespace ContentPS.HelpBuilder.Markdown;

/// <summary>The flat "Key: value" YAML that platyPS writes in front matter and parameter blocks.</summary>
internal static class SimpleYaml
{
    public static void ReadInto(IDictionary<string, string> target, IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line == "---") continue;
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            target[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
    }
}
