using System.Security.Cryptography;
using System.Text.Json;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Fixtures;

/// <summary>Helpers the fixture tests share: running interop tools, reading layout blobs.</summary>
internal static class FixtureTools
{
    public static async Task RunAsync(string tool, string debianPackage, params string[] arguments) =>
        (await ToolRunner.RunAsync(ToolRunner.Require(tool, debianPackage), arguments)).EnsureSuccess();

    public static string BlobPath(LayoutResult layout, LayoutBlob blob) => Path.Combine(layout.Directory, blob.RelativePath);

    public static JsonDocument ReadJson(LayoutResult layout, LayoutBlob blob) => JsonDocument.Parse(File.ReadAllBytes(BlobPath(layout, blob)));

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
