namespace ContentPS.Benchmarks;

/// <summary>Prints one line per benchmark: our time, the peer's, and the ratio (below 1 means we are faster).</summary>
internal static class Report
{
    public static void Header() =>
        Console.WriteLine($"{"benchmark",-44} {"size",10} {"ContentPS",10} {"peer",-10} {"peer time",10} {"ratio",7}");

    public static void Row(string name, long sizeBytes, TimeSpan ours, string peerName, TimeSpan peer) =>
        Console.WriteLine(
            $"{name,-44} {sizeBytes / (1024 * 1024),7} MiB {ours.TotalMilliseconds,8:F0}ms {peerName,-10} {peer.TotalMilliseconds,8:F0}ms {ours / peer,7:F2}");
}
