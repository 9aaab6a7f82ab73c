using System.Management.Automation;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Internal.ScriptHandlers;

/// <summary>
/// What a script handler's output means: <c>[ContentPS.Handler]::Skip</c> and <c>::Stop</c> are signals (Skip wins
/// over Stop); descriptors (<see cref="ImageDescriptorInfo"/>, <see cref="DescriptorInfo"/>, an engine
/// <see cref="Descriptor"/>) are children to visit, in order; everything else flows down the pipeline.
/// </summary>
internal sealed record ScriptOutput(HandlerSignal Signal, IReadOnlyList<Descriptor>? Children, IReadOnlyList<object> Pipeline)
{
    public static ScriptOutput From(IEnumerable<PSObject?> output)
    {
        var signal = HandlerSignal.Continue;
        List<Descriptor>? children = null;
        var pipeline = new List<object>();
        foreach (PSObject? item in output)
        {
            switch (item?.BaseObject)
            {
                case null:
                    break;
                case Handler handler:
                    signal = handler.Signal == HandlerSignal.Skip || signal == HandlerSignal.Skip ? HandlerSignal.Skip : handler.Signal;
                    break;
                case ImageDescriptorInfo descriptor:
                    (children ??= []).Add(descriptor.Value);
                    break;
                case DescriptorInfo descriptor:
                    (children ??= []).Add(descriptor.Value);
                    break;
                case Descriptor descriptor:
                    (children ??= []).Add(descriptor);
                    break;
                default:
                    pipeline.Add(item);
                    break;
            }
        }

        return new ScriptOutput(signal, children, pipeline);
    }
}
