using System.Globalization;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Remotes.Hosts;

/// <summary>The one error a hosts.toml can cause: InvalidArgument, <c>InvalidHostsConfiguration</c>, naming the file and the line.</summary>
internal static class HostsFileErrors
{
    public static ClassifiedException Invalid(string path, int line, string problem, Exception? inner = null) =>
        Errors.New(ErrorClass.InvalidArgument,
            string.Create(CultureInfo.InvariantCulture, $"invalid hosts configuration {path}, line {line}: {problem}"),
            ErrorIds.InvalidHostsConfiguration, inner, path);
}
