using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Hosts;

/// <summary>What the mirror tests ask of a registry over plain HTTP, and where a registry stores a blob.</summary>
internal static class MirrorRegistry
{
    /// <summary>GETs a manifest: status, Docker-Content-Digest, and the sha256 of the body.</summary>
    public static async Task<(HttpStatusCode Status, string? Digest, string? BodyDigest)> GetManifestAsync(HttpClient client, Uri url, string mediaType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.Single() : null;
        return (response.StatusCode, digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body)));
    }

    /// <summary>The file docker-registry keeps a blob's bytes in (<c>docker/registry/v2/blobs/sha256/ab/abcd…/data</c>).</summary>
    public static string BlobDataPath(RegistryFixture registry, string digest)
    {
        var hex = digest["sha256:".Length..];
        return Path.Combine(registry.RootDirectory, "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data");
    }
}
