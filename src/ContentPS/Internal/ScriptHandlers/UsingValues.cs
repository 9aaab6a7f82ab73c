using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Internal.ScriptHandlers;

/// <summary>
/// The <c>$using:</c> variables of a script handler, taken from the caller's session when the call starts, as
/// <c>ForEach-Object -Parallel</c> does: each <c>$using:name</c> in the script (nested scriptblocks included) is
/// rewritten to a variable of the handler's own scope, <c>${__ContentPSUsing_name}</c>, which the runner defines
/// with the value. An index or member access after it (<c>$using:list[0]</c>, <c>$using:item.Name</c>) then
/// applies to that value where the handler runs.
/// </summary>
internal sealed class UsingValues
{
    private const string VariablePrefix = "__ContentPSUsing_";

    private UsingValues(string text, IReadOnlyDictionary<string, object?> values)
    {
        Text = text;
        Values = values;
    }

    /// <summary>The script's text without its braces, every <c>$using:</c> rewritten.</summary>
    public string Text { get; }

    /// <summary>Variable name (as rewritten) → value.</summary>
    public IReadOnlyDictionary<string, object?> Values { get; }

    public bool IsEmpty => Values.Count == 0;

    /// <summary>
    /// Reads the <c>$using:</c> values of <paramref name="script"/> from <paramref name="session"/> (on the pipeline
    /// thread). A variable that is not set, and, when <paramref name="forRunspaces"/>, a scriptblock value (it belongs
    /// to the caller's runspace), are InvalidArgument (<c>InvalidHandler</c>).
    /// </summary>
    public static UsingValues Read(ScriptBlock script, SessionState session, bool forRunspaces)
    {
        Ast ast = script.Ast;
        // A scriptblock literal's extent includes its braces; the script of a runspace must not.
        bool braced = ast.Parent is ScriptBlockExpressionAst;
        int start = ast.Extent.StartOffset + (braced ? 1 : 0);
        int end = ast.Extent.EndOffset - (braced ? 1 : 0);
        string source = ast.Extent.Text;
        var variables = ast.FindAll(node => node is UsingExpressionAst, searchNestedScriptBlocks: true)
            .Cast<UsingExpressionAst>()
            .Select(UsingExpressionAst.ExtractUsingVariable)
            .OrderBy(variable => variable.Extent.StartOffset)
            .ToList();

        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        var text = new StringBuilder();
        int at = start;
        foreach (VariableExpressionAst variable in variables)
        {
            string name = variable.VariablePath.UserPath;
            string local = VariablePrefix + name;
            if (!values.ContainsKey(local))
            {
                values[local] = ValueOf(session, name, forRunspaces);
            }

            text.Append(source, at - ast.Extent.StartOffset, variable.Extent.StartOffset - at);
            text.Append("${").Append(local.Replace("}", "`}", StringComparison.Ordinal)).Append('}');
            at = variable.Extent.EndOffset;
        }

        text.Append(source, at - ast.Extent.StartOffset, end - at);
        return new UsingValues(text.ToString(), values);
    }

    private static object? ValueOf(SessionState session, string name, bool forRunspaces)
    {
        PSVariable? variable = session.PSVariable.Get(name);
        if (variable is null)
        {
            string message = $"the handler uses $using:{name}, but the variable {name} is not set";
            throw new InvalidArgumentException(message, ErrorIds.InvalidHandler) { Target = name };
        }

        object? value = variable.Value is PSObject wrapped ? wrapped.BaseObject : variable.Value;
        if (forRunspaces && value is ScriptBlock)
        {
            string message = $"$using:{name} is a scriptblock, which belongs to this runspace and cannot run in the handler runspaces of -Parallel; pass its text and create it there with [scriptblock]::Create";
            throw new InvalidArgumentException(message, ErrorIds.InvalidHandler) { Target = name };
        }

        return variable.Value;
    }
}
