using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace ContentPS.Engine.Tests.Remotes.Http;

/// <summary>Blobs put into a real registry with plain HTTP (POST, then PUT with the digest), for tests to read back.</summary>
internal static class TestBlobs
{
    public static byte[] Random(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string DigestOf(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Uploads <paramref name="bytes"/> to <paramref name="repository"/> through <paramref name="client"/> and returns the digest.</summary>
    public static async Task<string> PushAsync(HttpClient client, string repository, byte[] bytes)
    {
        var digest = DigestOf(bytes);
        using var start = await client.PostAsync($"v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = new Uri(client.BaseAddress!, start.Headers.Location!);
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var finish = await client.PutAsync($"{location}{separator}digest={Uri.EscapeDataString(digest)}", content);
        Assert.Equal(HttpStatusCode.Created, finish.StatusCode);
        return digest;
    }

    public static string BlobPath(string repository, string digest) => $"v2/{repository}/blobs/{digest}";
}
