using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Unpack;

/// <summary>
/// What to unpack: an image manifest whose config and layers are committed in <paramref name="Store"/> (pull
/// first), applied in order into <paramref name="TargetDirectory"/> (created when missing; an existing directory
/// is written into as is — refusing a non-empty one is the caller's decision).
/// </summary>
public sealed record UnpackRequest(IContentStore Store, Descriptor Manifest, string TargetDirectory)
{
    /// <summary>
    /// Wildcard paths inside the image (<c>/etc/ssl/**</c>, <c>usr/bin/tool</c>; <c>*</c> and <c>?</c> within a
    /// name, <c>**</c> across names, the leading <c>/</c> optional). Only entries a pattern matches — or that lie
    /// under a directory a pattern matches — are written, plus the directories above them. Empty: everything.
    /// </summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Create device nodes and apply the entries' owners; only effective when running as root (else skipped and counted).</summary>
    public bool PreserveOwnership { get; init; }

    public IProgress<UnpackProgress>? Progress { get; init; }
}
