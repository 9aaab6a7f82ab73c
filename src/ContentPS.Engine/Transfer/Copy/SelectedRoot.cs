using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>What a copy writes as its root after platform selection.</summary>
/// <param name="Root">The source root, a rewritten index, or one platform's manifest.</param>
/// <param name="IndexRewritten">Root is a new index holding a subset of the source's entries.</param>
/// <param name="Platforms">The platforms chosen (<c>os/arch[/variant]</c> as the index names them); empty: all.</param>
internal sealed record SelectedRoot(Descriptor Root, bool IndexRewritten, IReadOnlyList<string> Platforms);
