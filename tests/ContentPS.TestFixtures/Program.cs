using ContentPS.TestFixtures.Cli;

namespace ContentPS.TestFixtures;

public static class Program
{
    private const string Usage = """
        usage: ContentPS.TestFixtures <command> [options]
          registry [--flavor plain|htpasswd]
              Start a docker-registry on a free 127.0.0.1 port; print one JSON line
              {host, baseUri, username, password, root, pid, flavor}; run until stdin closes or SIGTERM.
          mirror --upstream URL [--username U --password P]
              Start a docker-registry pull-through cache (proxy mode) of the upstream registry; print
              the registry JSON line plus upstream; run until stdin closes or SIGTERM. Pushes are refused.
          layout <single|multi|docker|nested|artifact|layers|foreign> --out DIR [--ref NAME] [--layers N] [--layer-size BYTES] [--seed S]
              Write an OCI image layout; print the result JSON (top descriptor and every blob).
          push --layout DIR [--ref NAME] --host HOST --repository REPO [--tag TAG] [--username U --password P]
              skopeo copy --all --preserve-digests the layout entry to the registry and check its digest.
          labels-set --store ROOT --digest D --key K --value V [--count N] [--go-file PATH]
              Set label K (or K0..K(N-1), one update each) of blob D in the store's FileLabelStore;
              with --go-file, wait until PATH exists first.
          image-set --store ROOT --name N --digest D [--media-type M] [--size S] [--count C] [--go-file PATH]
              Set image record N (or N0..N(C-1), one change each) in the store's index.json.
          ingest-hold --store ROOT --ref REF --bytes N [--size TOTAL] [--seed S]
              Open a content-store writer on REF, write the first N bytes of TOTAL seeded random bytes,
              print "ready" and hold the ingest's lock until killed or stdin closes.
          lease-writer --store ROOT [--id ID] [--digests D1,D2] [--iterations N] [--seed S]
              Hold a lease on the digests (print "ready <id>", wait until killed or stdin closes), or with
              --iterations write N images under leases as a pull does; print {iterations, written, reused, reusedGarbage, lost, lostDetails}.
          fault-proxy --upstream URL [--rules FILE] [--address IP]
              Start a fault-injecting HTTP proxy to URL on a free port; print one JSON line {host, baseUri, pid};
              rules and the request log at /_fault/rules and /_fault/requests; run until stdin closes or SIGTERM.
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Error.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var arguments = new CliArguments(args.Skip(1));
            return args[0] switch
            {
                "registry" => await RegistryCommand.RunAsync(arguments).ConfigureAwait(false),
                "mirror" => await MirrorCommand.RunAsync(arguments).ConfigureAwait(false),
                "layout" => LayoutCommand.Run(arguments),
                "push" => await PushCommand.RunAsync(arguments).ConfigureAwait(false),
                "labels-set" => await LabelsSetCommand.RunAsync(arguments).ConfigureAwait(false),
                "image-set" => await ImageSetCommand.RunAsync(arguments).ConfigureAwait(false),
                "ingest-hold" => await IngestHoldCommand.RunAsync(arguments).ConfigureAwait(false),
                "lease-writer" => await LeaseWriterCommand.RunAsync(arguments).ConfigureAwait(false),
                "fault-proxy" => await FaultProxyCommand.RunAsync(arguments).ConfigureAwait(false),
                _ => throw new CliUsageException($"Unknown command '{args[0]}'."),
            };
        }
        catch (CliUsageException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        catch (FixtureException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
    }
}
