namespace ContentPS.TestFixtures;

/// <summary>What a blob in a layout is.</summary>
public enum BlobKind
{
    Index,
    Manifest,
    Config,
    Layer,
}
