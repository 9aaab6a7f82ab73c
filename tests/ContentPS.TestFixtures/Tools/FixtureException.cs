namespace ContentPS.TestFixtures;

/// <summary>A test fixture could not be set up: a missing tool, a registry that would not start, a failed push.</summary>
public sealed class FixtureException : Exception
{
    public FixtureException(string message)
        : base(message)
    {
    }

    public FixtureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
