namespace ContentPS.TestFixtures.Cli;

/// <summary>The command line was wrong; Program prints the message and the usage and exits with 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
