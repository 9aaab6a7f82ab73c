using System.Text;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Remotes;

/// <summary>Turns a failed registry response into the classified exception for what was asked.</summary>
public static class RegistryResponses
{
    /// <summary>The most of an error body read: enough for any OCI error document, bounded against HTML pages of megabytes.</summary>
    public const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>
    /// Does nothing for a success status; otherwise reads at most <see cref="MaxErrorBodyBytes"/> of
    /// the body and throws <see cref="RegistryErrors.FromResponse"/>'s exception.
    /// </summary>
    /// <param name="context">What was being done, for the message (<c>resolve docker.io/library/ubuntu:latest</c>).</param>
    /// <param name="target">The thing that failed (reference, digest) for the ErrorRecord.</param>
    /// <param name="notFoundErrorId">The ErrorId of a 404 whose body names nothing more specific (a HEAD has no body).</param>
    public static async Task ThrowForStatusAsync(HttpResponseMessage response, string context, object? target = null,
        string? notFoundErrorId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string? body = await ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
        throw RegistryErrors.FromResponse((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            body, context, target, notFoundErrorId);
    }

    /// <summary>The start of a response body as text (at most <see cref="MaxErrorBodyBytes"/>), or null when it has none or it cannot be read.</summary>
    public static async Task<string?> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxErrorBodyBytes];
            int total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total == 0 ? null : Encoding.UTF8.GetString(buffer, 0, total);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return null;
        }
    }
}
