using System.Xml.Linq;

namespace ContentPS.HelpBuilder.Maml;

/// <summary>The XML namespaces of PowerShell's MAML command help.</summary>
internal static class MamlNames
{
    public static readonly XNamespace Msh = "http://msh";
    public static readonly XNamespace MamlNs = "http://schemas.microsoft.com/maml/2004/10";
    public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    public static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";
}
