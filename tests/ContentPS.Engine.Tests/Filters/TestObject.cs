using ContentPS.Engine.Filters;

namespace ContentPS.Engine.Tests.Filters;

/// <summary>A test object with a name, an optional "other" field and labels, exposed like containerd's test adaptor.</summary>
internal sealed record TestObject(string Name, string Other = "", Dictionary<string, string>? Labels = null) : IFieldAdaptor
{
    public (string Value, bool Present) Field(IReadOnlyList<string> fieldPath) => fieldPath[0] switch
    {
        "name" => (Name, Name.Length > 0),
        "other" => (Other, Other.Length > 0),
        "labels" => Labels is not null && Labels.TryGetValue(string.Join(".", fieldPath.Skip(1)), out var value) ? (value, true) : ("", false),
        _ => ("", false),
    };
}
