using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes.Client;

namespace ContentPS.Engine.Remotes;

/// <summary>
/// The registry operations of the distribution API (resolve, fetch, push, tags, referrers,
/// delete) on top of an <see cref="IRegistryTransport"/>, which does auth, retries and redirects.
/// Each operation runs on the hosts of the reference's registry that have the capability it needs
/// (a tag resolve: <see cref="HostCapabilities.Resolve"/>; content by digest:
/// <see cref="HostCapabilities.Pull"/>; uploads and deletes: <see cref="HostCapabilities.Push"/>),
/// mirrors first, falling back to the next host as <see cref="HostFallback"/> says.
/// Failures are errdefs-classified; a 404 names what was missing (ManifestNotFound,
/// BlobNotFound, RepositoryNotFound) with the reference or digest as target.
/// </summary>
/// <remarks>
/// <c>repository</c> arguments are references whose <see cref="ImageReference.Domain"/> and
/// <see cref="ImageReference.Path"/> name the repository; their tag and digest are ignored.
/// </remarks>
public sealed partial class RegistryClient
{
    private readonly IRegistryTransport _transport;
    private readonly HostFallback _hosts;

    public RegistryClient(RegistryClientOptions options)
        : this(options, RegistryClientDefaults.CreateHosts(options),
            RegistryClientDefaults.CreateTransport(options, RegistryClientDefaults.CreateAuthorizer(options)))
    {
    }

    public RegistryClient(RegistryClientOptions options, IRegistryHosts hosts, IRegistryTransport transport)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(transport);
        Options = options;
        _transport = transport;
        _hosts = new HostFallback(hosts, options.Log);
    }

    public RegistryClientOptions Options { get; }

    private static ImageReference RequireRepository(ImageReference repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (string.IsNullOrEmpty(repository.Domain))
        {
            throw Errors.New(ErrorClass.InvalidArgument, $"\"{repository}\" names no registry", ErrorIds.InvalidReference, target: repository.ToString());
        }

        return repository;
    }

    private static Descriptor RequireDescriptor(Descriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Digest is null || descriptor.Size < 0)
        {
            throw Errors.New(ErrorClass.InvalidArgument, $"the descriptor {descriptor} has no digest or a negative size", ErrorIds.InvalidDescriptor);
        }

        return descriptor;
    }

    private static string RequireTag(ImageReference repository, string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        _ = repository.WithTag(tag); // validates the tag (InvalidTag)
        return tag;
    }
}
