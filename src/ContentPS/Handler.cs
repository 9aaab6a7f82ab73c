using ContentPS.Engine.Images.Handlers;

namespace ContentPS;

/// <summary>
/// The signals a script handler of <c>Invoke-ImageHandler</c> can output besides children and pipeline objects:
/// <c>[ContentPS.Handler]::Skip</c> prunes the descriptor's subtree (no later handler runs for it, none of its
/// children is visited), <c>[ContentPS.Handler]::Stop</c> ends the handler chain for the descriptor (later
/// handlers do not run for it; its children are still visited).
/// </summary>
public sealed class Handler
{
    private Handler(HandlerSignal signal) => Signal = signal;

    /// <summary>Prune this descriptor's subtree.</summary>
    public static Handler Skip { get; } = new(HandlerSignal.Skip);

    /// <summary>End the handler chain for this descriptor; its children are still visited.</summary>
    public static Handler Stop { get; } = new(HandlerSignal.Stop);

    /// <summary>The engine signal this value stands for.</summary>
    internal HandlerSignal Signal { get; }

    /// <summary>Skip or Stop.</summary>
    public string Name => Signal.ToString();

    public override string ToString() => Name;
}
