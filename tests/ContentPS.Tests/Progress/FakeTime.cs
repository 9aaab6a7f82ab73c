namespace ContentPS.Tests.Progress;

/// <summary>A clock that moves only when told to.</summary>
internal sealed class FakeTime : TimeProvider
{
    private long _ticks = TimeSpan.TicksPerDay;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public void AdvanceMilliseconds(int milliseconds) => Advance(TimeSpan.FromMilliseconds(milliseconds));
}
