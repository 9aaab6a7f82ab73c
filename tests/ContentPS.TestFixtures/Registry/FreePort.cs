using System.Net;
using System.Net.Sockets;

namespace ContentPS.TestFixtures;

/// <summary>Picks a TCP port on 127.0.0.1 that is free right now (the caller retries if it is taken before use).</summary>
public static class FreePort
{
    public static int Pick()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
