using System.Management.Automation;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Internal.ScriptHandlers;

/// <summary>One element of the -Handler chain: a script handler or a built-in handler named by a string.</summary>
internal abstract record HandlerStep
{
    /// <summary>
    /// The chain <paramref name="values"/> stand for: scriptblocks, and strings naming built-in handlers
    /// (<see cref="BuiltInHandler"/>). Anything else is InvalidArgument (<c>InvalidHandler</c>), naming its position.
    /// </summary>
    public static IReadOnlyList<HandlerStep> Parse(IReadOnlyList<object?> values)
    {
        var steps = new List<HandlerStep>(values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            object? value = values[i] is PSObject wrapped ? wrapped.BaseObject : values[i];
            steps.Add(value switch
            {
                ScriptBlock script => new ScriptStep(script, i),
                string name when BuiltInHandler.Find(name) is { } known => new BuiltInStep(known),
                string name => throw Invalid(i, $"'{name}' names no built-in handler"),
                null => throw Invalid(i, "it is null"),
                _ => throw Invalid(i, $"it is a {value.GetType().FullName}"),
            });
        }

        return steps;
    }

    private static InvalidArgumentException Invalid(int position, string why)
    {
        string known = string.Join(", ", BuiltInHandler.All.Select(handler => handler.Name));
        string message = $"-Handler value {position + 1} is neither a scriptblock nor a built-in handler ({known}): {why}";
        return new InvalidArgumentException(message, ErrorIds.InvalidHandler);
    }
}

/// <summary>A scriptblock of the chain; <see cref="Position"/> is its index in -Handler.</summary>
internal sealed record ScriptStep(ScriptBlock Script, int Position) : HandlerStep;

/// <summary>A built-in handler of the chain, by its <see cref="BuiltInHandler"/> name.</summary>
internal sealed record BuiltInStep(string Name) : HandlerStep;
