using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Transfer;

namespace ContentPS.Internal.ScriptHandlers;

/// <summary>
/// What one walk of <c>Invoke-ImageHandler</c> reads and where: the image as typed (<see cref="Image"/>), its
/// registry repository (null for a store record under a name of its own), the store root the walk reads (null for a
/// registry walk), where index and manifest bodies come from, the pull's platform selection for the built-in
/// children, the -Platform matcher of <c>FilterPlatforms</c> (null with -AllPlatforms: keep all), and the
/// <c>FetchToStore</c> handler (null when the chain does not name it).
/// </summary>
internal sealed record WalkSetup(
    string Image,
    ImageReference? Repository,
    string? StoreRoot,
    IManifestSource Source,
    PullSelection Selection,
    IPlatformMatcher? PlatformFilter,
    FetchToStore? Fetch);

/// <summary>Where the chain writes: pipeline objects from scripts, and errors of subtrees skipped under -ErrorAction Continue.</summary>
internal sealed record ChainOutput(Action<object> Object, Action<System.Management.Automation.ErrorRecord> Error);

/// <summary>A handler failure that ends the walk (the record is written once the walk has stopped).</summary>
internal sealed class HandlerFailedException(System.Management.Automation.ErrorRecord record) : Exception(record.Exception?.Message)
{
    public System.Management.Automation.ErrorRecord Record { get; } = record;
}
