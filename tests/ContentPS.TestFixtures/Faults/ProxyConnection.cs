using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace ContentPS.TestFixtures;

/// <summary>One client connection of a <see cref="FaultProxy"/>: reads requests one after another (keep-alive) and answers each.</summary>
internal sealed class ProxyConnection(FaultProxy proxy, TcpClient client)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var _ = client;
        try
        {
            var (stream, clientCertificate) = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var __ = stream;
            var reader = new ConnectionReader(stream);
            var writer = new ResponseWriter(stream);
            while (await RequestHead.ReadAsync(reader, cancellationToken).ConfigureAwait(false) is { } head)
            {
                if (head.ExpectsContinue) await writer.WriteContinueAsync(cancellationToken).ConfigureAwait(false);
                var body = RequestBodyStream.Open(reader, head);
                var outcome = FaultControlEndpoint.Handles(head)
                    ? await FaultControlEndpoint.AnswerAsync(proxy, head, body, writer, cancellationToken).ConfigureAwait(false)
                    : await new UpstreamForwarder(proxy, head, body, writer, clientCertificate).ForwardAsync(cancellationToken).ConfigureAwait(false);
                if (outcome == ConnectionOutcome.Reset)
                {
                    client.Client.LingerState = new LingerOption(true, 0);
                    client.Client.Close();
                    break;
                }

                if (outcome == ConnectionOutcome.Close || head.WantsClose) break;
                if (body is not null) await body.DrainAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or AuthenticationException)
        {
            // The client went away, refused our certificate, or the proxy is stopping: nothing to answer.
        }
    }

    private async Task<(Stream Stream, string? ClientCertificate)> OpenAsync(CancellationToken cancellationToken)
    {
        Stream network = client.GetStream();
        if (proxy.ServerCertificate is null)
        {
            return (network, null);
        }

        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = proxy.ServerCertificate,
            ClientCertificateRequired = true,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        }, cancellationToken).ConfigureAwait(false);
        return (tls, tls.RemoteCertificate?.Subject);
    }
}
