namespace ContentPS.Engine.Remotes.Http;

/// <summary>Whether an attempt is sent again, after how long, and the words for the request log.</summary>
internal readonly record struct RetryDecision(bool Retry, TimeSpan Delay, string? Text)
{
    /// <summary>A normal answer: nothing to decide, nothing to log.</summary>
    public static RetryDecision Final { get; } = new(false, TimeSpan.Zero, null);
}
