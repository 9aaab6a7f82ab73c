namespace ContentPS.Engine.Errdefs;

/// <summary>Walks an exception and everything it wraps, depth-first, outermost first.</summary>
internal static class ExceptionChain
{
    public static IEnumerable<Exception> Walk(Exception? exception)
    {
        if (exception is null) yield break;

        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            yield return current;

            // AggregateException.InnerException is InnerExceptions[0]; walk the list only.
            if (current is AggregateException aggregate)
            {
                for (var i = aggregate.InnerExceptions.Count - 1; i >= 0; i--)
                    pending.Push(aggregate.InnerExceptions[i]);
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }

    /// <summary>The outermost classified exception in the chain, or null.</summary>
    public static ClassifiedException? FindClassified(Exception? exception)
    {
        foreach (var e in Walk(exception))
            if (e is ClassifiedException classified) return classified;
        return null;
    }
}
