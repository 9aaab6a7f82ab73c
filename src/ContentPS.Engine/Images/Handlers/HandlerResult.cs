using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Handlers;

/// <summary>What one handler returns for one descriptor: the children to visit and a signal.</summary>
public readonly record struct HandlerResult(IReadOnlyList<Descriptor> Children, HandlerSignal Signal = HandlerSignal.Continue)
{
    /// <summary>No children; go on.</summary>
    public static HandlerResult None { get; } = new([], HandlerSignal.Continue);

    /// <summary>Prune the subtree.</summary>
    public static HandlerResult Skip { get; } = new([], HandlerSignal.Skip);

    /// <summary>End the chain for this descriptor, with no children of its own.</summary>
    public static HandlerResult Stop { get; } = new([], HandlerSignal.Stop);

    public static HandlerResult Of(IReadOnlyList<Descriptor> children) => new(children, HandlerSignal.Continue);
}
