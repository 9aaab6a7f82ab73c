using System.Net.Http.Headers;
using System.Text;

namespace ContentPS.TestFixtures;

/// <summary>
/// Pushes a layout entry to a registry with skopeo, keeping digests and media types as they are
/// (Docker stays Docker), then checks the registry serves the manifest under the same digest.
/// </summary>
public static class LayoutPublisher
{
    private static readonly string[] ManifestMediaTypes =
    [
        LayoutMediaTypes.OciIndex,
        LayoutMediaTypes.OciManifest,
        LayoutMediaTypes.DockerManifestList,
        LayoutMediaTypes.DockerManifest,
    ];

    public static Task PushAsync(string layoutDirectory, string refName, RegistryFixture registry, string repository, string tag, CancellationToken cancellationToken = default) =>
        PushAsync(layoutDirectory, refName, PushTarget.For(registry, repository, tag), cancellationToken);

    public static async Task PushAsync(string layoutDirectory, string refName, PushTarget target, CancellationToken cancellationToken = default)
    {
        var skopeo = ToolRunner.Require("skopeo", "skopeo");
        var layout = Path.GetFullPath(layoutDirectory);
        var (mediaType, digest, _) = LayoutIndex.Find(layout, refName);
        var destination = $"docker://{target.Reference}";
        if (mediaType is LayoutMediaTypes.OciIndex or LayoutMediaTypes.OciManifest && !HasNestedIndex(layout, digest, mediaType))
        {
            await SkopeoCopyAsync(skopeo, $"oci:{layout}:{refName}", destination, target, indexOnly: false, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await PushTreeAsync(skopeo, layout, digest, mediaType, destination, target, cancellationToken).ConfigureAwait(false);
        }

        await VerifyAsync(target, mediaType, digest, cancellationToken).ConfigureAwait(false);
    }

    // skopeo copies no nested index ("Unexpectedly received a manifest list"): push every child by
    // digest first, then the index alone (--multi-arch index-only); the registry finds its children.
    private static async Task PushTreeAsync(string skopeo, string layout, string digest, string mediaType, string destination, PushTarget target, CancellationToken cancellationToken)
    {
        var nested = HasNestedIndex(layout, digest, mediaType);
        if (nested)
        {
            foreach (var (childType, childDigest) in LayoutTree.Children(layout, digest, mediaType))
            {
                var childDestination = $"docker://{target.Host}/{target.Repository}@{childDigest}";
                await PushTreeAsync(skopeo, layout, childDigest, childType, childDestination, target, cancellationToken).ConfigureAwait(false);
            }
        }

        using var stage = DirTransportStage.Create(layout, digest, mediaType);
        await SkopeoCopyAsync(skopeo, $"dir:{stage.Directory}", destination, target, indexOnly: nested, cancellationToken).ConfigureAwait(false);
    }

    private static bool HasNestedIndex(string layout, string digest, string mediaType) =>
        LayoutMediaTypes.IsIndex(mediaType) && LayoutTree.Children(layout, digest, mediaType).Any(c => LayoutMediaTypes.IsIndex(c.MediaType));

    private static async Task SkopeoCopyAsync(string skopeo, string source, string destination, PushTarget target, bool indexOnly, CancellationToken cancellationToken)
    {
        List<string> arguments = ["--insecure-policy", "copy", "--quiet", "--preserve-digests", "--dest-tls-verify=false"];
        arguments.AddRange(indexOnly ? ["--multi-arch", "index-only"] : ["--all"]);
        if (target.Username is not null)
        {
            arguments.Add("--dest-creds");
            arguments.Add($"{target.Username}:{target.Password}");
        }
        else
        {
            arguments.Add("--dest-no-creds");
        }

        arguments.Add(source);
        arguments.Add(destination);
        (await ToolRunner.RunAsync(skopeo, arguments, cancellationToken).ConfigureAwait(false)).EnsureSuccess();
    }

    /// <summary>HEAD /v2/&lt;repo&gt;/manifests/&lt;tag&gt; must answer the expected Docker-Content-Digest and Content-Type.</summary>
    public static async Task VerifyAsync(PushTarget target, string mediaType, string digest, CancellationToken cancellationToken = default)
    {
        using var client = new HttpClient(new TokenChallengeHandler(target.Username, target.Password)) { BaseAddress = new Uri($"http://{target.Host}/") };
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{target.Repository}/manifests/{target.Tag}");
        foreach (var type in ManifestMediaTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        if (target.Username is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{target.Username}:{target.Password}")));
        }

        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var actualDigest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        var actualType = response.Content.Headers.ContentType?.MediaType;
        if (!response.IsSuccessStatusCode || actualDigest != digest || actualType != mediaType)
        {
            throw new FixtureException(
                $"After pushing {target.Reference}, HEAD answered {(int)response.StatusCode} with digest '{actualDigest}' and type '{actualType}'; "
                + $"expected '{digest}' and '{mediaType}'.");
        }
    }
}
