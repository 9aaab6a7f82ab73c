namespace ContentPS.Engine.Images.Handlers;

/// <summary>What a handler tells the chain and the walk besides its children.</summary>
public enum HandlerSignal
{
    /// <summary>Go on: the next handler of the chain runs; the children are visited.</summary>
    Continue,

    /// <summary>End the chain for this descriptor: later handlers do not run; the children gathered so far (this handler's included) are visited.</summary>
    Stop,

    /// <summary>Prune this descriptor's subtree: later handlers do not run and no child of it is visited.</summary>
    Skip,
}
