namespace ContentPS.Benchmarks;

/// <summary>One way of writing an image's root file system into a directory that does not exist yet.</summary>
internal interface IUnpackContender
{
    string Name { get; }

    /// <summary>Timed: unpacks the benchmark image into <paramref name="target"/>.</summary>
    void Run(string target);
}

/// <summary>Expand-Image in the hosted runspace that imported the built module, from a store that holds the image.</summary>
internal sealed class ExpandImageContender(HostedModule module, string store, string name) : IUnpackContender
{
    public string Name => "Expand-Image";

    public void Run(string target) => module.Invoke(shell =>
        shell.AddCommand("Expand-Image").AddParameter("Name", name).AddParameter("Path", target).AddParameter("Store", store));
}

/// <summary><c>umoci raw unpack --rootless --image &lt;layout&gt;:&lt;ref&gt; &lt;target&gt;</c>: the rootfs alone, no runtime bundle.</summary>
internal sealed class UmociContender(SmallFilesImage image) : IUnpackContender
{
    public string Name => "umoci";

    public void Run(string target) =>
        Measurement.RunProcess("umoci", "raw", "unpack", "--rootless", "--image", $"{image.Layout}:{image.RefName}", target);
}
