using System.Net.Sockets;

namespace ContentPS.TestFixtures;

/// <summary>One client connection of a <see cref="FaultProxy"/>: reads requests one after another (keep-alive) and answers each.</summary>
internal sealed class ProxyConnection(FaultProxy proxy, TcpClient client)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var reader = new ConnectionReader(stream);
            var writer = new ResponseWriter(stream);
            while (await RequestHead.ReadAsync(reader, cancellationToken).ConfigureAwait(false) is { } head)
            {
                if (head.ExpectsContinue) await writer.WriteContinueAsync(cancellationToken).ConfigureAwait(false);
                var body = RequestBodyStream.Open(reader, head);
                var outcome = FaultControlEndpoint.Handles(head)
                    ? await FaultControlEndpoint.AnswerAsync(proxy, head, body, writer, cancellationToken).ConfigureAwait(false)
                    : await new UpstreamForwarder(proxy, head, body, writer).ForwardAsync(cancellationToken).ConfigureAwait(false);
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
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the proxy is stopping: nothing to answer.
        }
    }
}
