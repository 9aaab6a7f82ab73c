using ContentPS.Engine.Unpack;
using ContentPS.Formatting;

namespace ContentPS.Internal;

/// <summary>
/// Shows an unpack as Write-Progress: the call's activity carries the layer being applied of all of them and the
/// files and bytes written so far; a child per layer carries its compressed bytes read. Reports arrive on the
/// engine's thread in order (a synchronous <see cref="IProgress{T}"/>, not <see cref="Progress{T}"/>, which
/// would post them to the thread pool unordered); the reporter throttles what reaches the host. Disposing
/// completes every record. With a disabled reporter <see cref="Sink"/> is null and nothing is formatted.
/// </summary>
internal sealed class UnpackProgressView : IDisposable
{
    private readonly ProgressReporter _reporter;
    private readonly object _gate = new();
    private ProgressItem? _layer;
    private int _layerNumber;

    public UnpackProgressView(ProgressReporter reporter)
    {
        _reporter = reporter;
        Sink = reporter.IsEnabled ? new SynchronousProgress(this) : null;
    }

    /// <summary>What to hand the unpack (<see cref="UnpackRequest.Progress"/>); null when progress is not shown.</summary>
    public IProgress<UnpackProgress>? Sink { get; }

    public void Dispose() => _reporter.Complete();

    private void Show(UnpackProgress progress)
    {
        lock (_gate)
        {
            if (progress.Layer != _layerNumber)
            {
                _layer?.Complete();
                _layerNumber = progress.Layer;
                _layer = _reporter.StartItem(
                    $"Layer {progress.Layer} of {progress.LayerCount} {DisplayText.Digest(progress.LayerDescriptor.Digest.ToString())}", "Applying");
            }

            long size = progress.LayerDescriptor.Size;
            double layerShare = size > 0 ? Math.Clamp((double)progress.LayerBytesRead / size, 0, 1) : progress.LayerDone ? 1 : 0;
            int percent = progress.LayerCount > 0 ? (int)((progress.Layer - 1 + layerShare) * 100 / progress.LayerCount) : -1;
            _reporter.Report(
                $"layer {progress.Layer} of {progress.LayerCount}, {progress.Files} files, {DisplayText.Size(progress.Bytes)} written", percent);
            if (progress.LayerDone)
            {
                _layer!.Complete($"{DisplayText.Size(progress.LayerBytesRead)} read");
            }
            else
            {
                _layer!.ReportBytes(progress.LayerBytesRead, size);
            }
        }
    }

    private sealed class SynchronousProgress(UnpackProgressView view) : IProgress<UnpackProgress>
    {
        public void Report(UnpackProgress value) => view.Show(value);
    }
}
