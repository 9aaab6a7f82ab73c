namespace ContentPS.Engine.Images.Handlers;

/// <summary>
/// A handler: a descriptor in (with its place in the tree), children and a signal out. Handlers
/// are composed (<c>Handlers.Chain</c>) and run by <c>Walk</c> (sequential, depth-first) or
/// <c>Dispatch</c> (siblings in parallel); failures are errdefs-classified exceptions.
/// A handler must be safe to call concurrently for different descriptors.
/// </summary>
public delegate ValueTask<HandlerResult> ImageHandler(ImageNode node, CancellationToken cancellationToken);
