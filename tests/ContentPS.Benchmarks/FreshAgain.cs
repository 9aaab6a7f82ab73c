using System.Globalization;

namespace ContentPS.Benchmarks;

/// <summary>
/// One way of moving an image (a pull into a store, a copy into a repository) that a benchmark times
/// twice: into an empty target, then again into the target that has everything.
/// </summary>
internal interface IFreshAgainContender : IDisposable
{
    string Name { get; }

    /// <summary>Whether this is one of ContentPS's rows (the others are its peers).</summary>
    bool IsOurs { get; }

    /// <summary>Untimed: an empty target for the next <see cref="Run"/>.</summary>
    void Fresh();

    /// <summary>Timed: moves <paramref name="image"/> into the current target.</summary>
    void Run(BenchImage image);

    /// <summary>Untimed: how many of <paramref name="image"/>'s blobs the target holds.</summary>
    int StoredBlobs(BenchImage image);
}

/// <summary>
/// Measures the contenders on one image: each repetition gives every contender a fresh target, times the
/// run, checks that the target holds every blob, then times the same run again; the contenders take turns
/// first. <see cref="FreshAgainResults"/> prints medians and ratios.
/// </summary>
internal static class FreshAgain
{
    public static FreshAgainResults Measure(string verb, BenchImage image, IReadOnlyList<IFreshAgainContender> contenders, int runs)
    {
        var results = new FreshAgainResults(verb, image, contenders);
        for (var run = 0; run < runs; run++)
        {
            for (var turn = 0; turn < contenders.Count; turn++)
            {
                var contender = contenders[(run + turn) % contenders.Count];
                contender.Fresh();
                results.Fresh[contender.Name].Add(Measurement.Time(() => contender.Run(image)));
                var stored = contender.StoredBlobs(image);
                if (stored != image.Blobs)
                {
                    throw new InvalidOperationException($"{contender.Name} stored {stored} blobs of {image.Label}, not all {image.Blobs}: not a like-for-like {verb}");
                }

                results.Again[contender.Name].Add(Measurement.Time(() => contender.Run(image)));
                contender.Dispose();
            }
        }

        return results;
    }
}

/// <summary>The samples of one image: fresh runs and runs again, per contender; printed as rows of ours against each peer.</summary>
internal sealed class FreshAgainResults(string verb, BenchImage image, IReadOnlyList<IFreshAgainContender> contenders)
{
    private readonly IReadOnlyList<string> _names = contenders.Select(c => c.Name).ToList();
    private readonly IReadOnlyList<string> _ours = contenders.Where(c => c.IsOurs).Select(c => c.Name).ToList();

    public BenchImage Image { get; } = image;

    public Dictionary<string, List<TimeSpan>> Fresh { get; } = contenders.ToDictionary(c => c.Name, _ => new List<TimeSpan>());

    public Dictionary<string, List<TimeSpan>> Again { get; } = contenders.ToDictionary(c => c.Name, _ => new List<TimeSpan>());

    public void Print()
    {
        var peers = _names.Except(_ours).ToList();
        foreach (var (kind, samples) in new[] { ("fresh", Fresh), ("again", Again) })
        {
            var label = Label(kind);
            foreach (var our in _ours)
            {
                foreach (var peer in peers)
                {
                    Report.Row($"{verb} {label} [{our}]", Image.Bytes, Measurement.Median(samples[our]), peer, Measurement.Median(samples[peer]));
                }
            }

            Console.WriteLine($"  {label}, {Image.Blobs} blobs, ms per run: " + string.Join("; ",
                _names.Select(n => $"{n} {string.Join(" ", samples[n].Select(s => s.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))}")));
        }
    }

    public string Check(string kind, string ours, string peer, double target)
    {
        var samples = kind == "fresh" ? Fresh : Again;
        if (!samples.ContainsKey(ours)) return $"{Label(kind)}: no {ours} (see above)";
        if (!samples.ContainsKey(peer)) return $"{Label(kind)}: {ours}/{peer}: no {peer} (see above)";
        var ratio = Measurement.Median(samples[ours]) / Measurement.Median(samples[peer]);
        return $"{Label(kind)}: {ours}/{peer} {ratio:F2} (target <= {target:F1}: {(ratio <= target ? "met" : "MISSED")})";
    }

    private string Label(string kind) => kind == "fresh" ? Image.Label : "(c) " + Image.Label[4..] + " again";
}
