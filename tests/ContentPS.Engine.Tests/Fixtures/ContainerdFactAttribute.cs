using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Fixtures;

/// <summary>
/// A fact that needs a private containerd (<see cref="ContainerdDaemon"/>): skipped, with the reason in the
/// test output, only when containerd or ctr is missing or a daemon does not start here. CI installs containerd.
/// </summary>
public sealed class ContainerdFactAttribute : FactAttribute
{
    public ContainerdFactAttribute()
    {
        if (ContainerdDaemon.CannotRun() is { } reason)
        {
            Skip = "containerd cannot run here: " + reason;
        }
    }
}
