using System.Collections.Concurrent;
using System.Text;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Images.Handlers;

/// <summary>A tree of named test descriptors and a handler that answers each node's children from it, recording visits.</summary>
internal sealed class TestTree
{
    private readonly Dictionary<Digest, string> _names = [];
    private readonly Dictionary<string, List<string>> _children = [];

    public ConcurrentQueue<string> Visits { get; } = new();

    public static Descriptor Node(string name) =>
        Descriptor.FromContent("application/vnd.contentps.test+json", Encoding.UTF8.GetBytes(name));

    /// <summary>Declares <paramref name="parent"/>'s children, in order.</summary>
    public TestTree Add(string parent, params string[] children)
    {
        Remember(parent);
        foreach (var child in children)
        {
            Remember(child);
        }
        _children[parent] = [.. children];
        return this;
    }

    public string NameOf(Descriptor descriptor) => _names[descriptor.Digest];

    public IReadOnlyList<Descriptor> ChildrenOf(string name) =>
        _children.TryGetValue(name, out var children) ? children.Select(Node).ToList() : [];

    /// <summary>Records the visit and returns the node's children.</summary>
    public ImageHandler Handler => (node, _) =>
    {
        var name = NameOf(node.Descriptor);
        Visits.Enqueue(name);
        return ValueTask.FromResult(HandlerResult.Of(ChildrenOf(name)));
    };

    private void Remember(string name) => _names[Node(name).Digest] = name;
}
