namespace ContentPS.Engine.Errdefs;

/// <summary>
/// The ErrorIds the module raises, each bound to the one class it is raised with, so an
/// ErrorRecord that lost its exception type still maps back to its class.
/// </summary>
public static class ErrorIds
{
    // Input that cannot be parsed or is not allowed.
    public const string InvalidReference = nameof(InvalidReference);
    public const string InvalidPlatform = nameof(InvalidPlatform);
    public const string InvalidDigest = nameof(InvalidDigest);
    public const string InvalidMediaType = nameof(InvalidMediaType);
    public const string InvalidTag = nameof(InvalidTag);
    public const string InvalidSize = nameof(InvalidSize);
    public const string InvalidDescriptor = nameof(InvalidDescriptor);
    public const string InvalidManifest = nameof(InvalidManifest);
    public const string MediaTypeMismatch = nameof(MediaTypeMismatch);
    public const string UnsupportedDigestAlgorithm = nameof(UnsupportedDigestAlgorithm);
    public const string UnsupportedMediaType = nameof(UnsupportedMediaType);
    // A size limit, like gRPC's "message larger than max", is a resource limit.
    public const string ManifestTooLarge = nameof(ManifestTooLarge);
    public const string UnsupportedSchema1 = nameof(UnsupportedSchema1);

    // Content and registry lookups.
    public const string ManifestNotFound = nameof(ManifestNotFound);
    public const string BlobNotFound = nameof(BlobNotFound);
    public const string RepositoryNotFound = nameof(RepositoryNotFound);
    /// <summary>An index has no manifest for the platform asked for.</summary>
    public const string PlatformNotFound = nameof(PlatformNotFound);

    // Content store.
    public const string IngestLocked = nameof(IngestLocked);
    public const string DigestMismatch = nameof(DigestMismatch);
    public const string SizeMismatch = nameof(SizeMismatch);
    public const string DigesterFinished = nameof(DigesterFinished);
    public const string IngestNotFound = nameof(IngestNotFound);
    public const string InvalidIngestRef = nameof(InvalidIngestRef);
    public const string BlobAlreadyExists = nameof(BlobAlreadyExists);
    public const string WriterClosed = nameof(WriterClosed);
    public const string StoreInvalid = nameof(StoreInvalid);
    public const string StoreAccessDenied = nameof(StoreAccessDenied);

    // Filters, labels and image records.
    public const string InvalidFilter = nameof(InvalidFilter);
    public const string InvalidLabel = nameof(InvalidLabel);
    public const string InvalidFieldPath = nameof(InvalidFieldPath);
    public const string InvalidImageName = nameof(InvalidImageName);
    public const string ImageNotFound = nameof(ImageNotFound);
    public const string ImageExists = nameof(ImageExists);
    /// <summary>A metadata file of the store (labels, index.json) that cannot be parsed.</summary>
    public const string CorruptMetadata = nameof(CorruptMetadata);

    // Content cmdlets: files and committed content.
    public const string PathNotFound = nameof(PathNotFound);
    public const string PathIsDirectory = nameof(PathIsDirectory);
    /// <summary>A path that is not a file-system path (another provider's, or one that cannot be resolved).</summary>
    public const string InvalidPath = nameof(InvalidPath);
    /// <summary>A committed blob whose bytes no longer hash to its digest.</summary>
    public const string BlobCorrupt = nameof(BlobCorrupt);
    // Leases (garbage collection).
    public const string InvalidLeaseId = nameof(InvalidLeaseId);
    public const string LeaseNotFound = nameof(LeaseNotFound);
    public const string LeaseInUse = nameof(LeaseInUse);

    // Registry responses.
    public const string RegistryRateLimited = nameof(RegistryRateLimited);
    public const string RegistryUnauthorized = nameof(RegistryUnauthorized);
    public const string RegistryDenied = nameof(RegistryDenied);
    public const string RegistryUnavailable = nameof(RegistryUnavailable);
    /// <summary>Any other registry failure; its class comes from the response, not from this id.</summary>
    public const string RegistryError = nameof(RegistryError);

    // Registry hosts configuration.
    /// <summary>A hosts.toml file that is not valid TOML or holds a value of the wrong type.</summary>
    public const string InvalidHostsConfiguration = nameof(InvalidHostsConfiguration);
    // Registry credentials (Docker config.json, containers auth.json, credential helpers).
    /// <summary>A credentials file that cannot be read or parsed.</summary>
    public const string InvalidCredentialConfig = nameof(InvalidCredentialConfig);
    public const string CredentialHelperNotFound = nameof(CredentialHelperNotFound);
    /// <summary>A credential helper that failed, timed out or answered outside its protocol.</summary>
    public const string CredentialHelperFailed = nameof(CredentialHelperFailed);

    // Image archives (OCI layouts, OCI archives, docker save archives).
    /// <summary>An archive or layout that is not one: no index.json or manifest.json, malformed JSON, an unknown entry type.</summary>
    public const string ArchiveInvalid = nameof(ArchiveInvalid);
    /// <summary>An archive entry or layout file that would reach outside: ../, an absolute name, a link pointing out.</summary>
    public const string ArchiveUnsafeEntry = nameof(ArchiveUnsafeEntry);
    /// <summary>An archive that ends before its headers say it does.</summary>
    public const string ArchiveTruncated = nameof(ArchiveTruncated);
    /// <summary>An export target (file or directory) that exists already.</summary>
    public const string ExportTargetExists = nameof(ExportTargetExists);

    // One default per class, for throwers that gave no ErrorId (see DefaultFor).
    public const string Unknown = nameof(Unknown);
    public const string InvalidArgument = nameof(InvalidArgument);
    public const string NotFound = nameof(NotFound);
    public const string AlreadyExists = nameof(AlreadyExists);
    public const string PermissionDenied = nameof(PermissionDenied);
    public const string ResourceExhausted = nameof(ResourceExhausted);
    public const string FailedPrecondition = nameof(FailedPrecondition);
    public const string Conflict = nameof(Conflict);
    public const string NotModified = nameof(NotModified);
    public const string Aborted = nameof(Aborted);
    public const string OutOfRange = nameof(OutOfRange);
    public const string NotImplemented = nameof(NotImplemented);
    public const string Internal = nameof(Internal);
    public const string Unavailable = nameof(Unavailable);
    public const string DataLoss = nameof(DataLoss);
    public const string Unauthenticated = nameof(Unauthenticated);
    public const string OperationCanceled = nameof(OperationCanceled);
    public const string DeadlineExceeded = nameof(DeadlineExceeded);

    // Copy: a destination tag that already names another digest (without -Force).
    public const string TagConflict = nameof(TagConflict);

    // Unpacking an image into a directory (Expand-Image).
    /// <summary>A layer entry that would write outside the target: a .. or absolute name, a write through a symlink leading out, a hard link pointing out.</summary>
    public const string UnpackUnsafeEntry = nameof(UnpackUnsafeEntry);
    /// <summary>A layer entry that cannot be applied: its parent is a file, a hard link to nothing or to a directory.</summary>
    public const string UnpackInvalidEntry = nameof(UnpackInvalidEntry);
    /// <summary>A layer whose uncompressed digest is not the config's rootfs.diff_ids entry.</summary>
    public const string LayerDiffIdMismatch = nameof(LayerDiffIdMismatch);
    /// <summary>A layer that does not decompress or whose tar is malformed or ends early (a header size that lies).</summary>
    public const string LayerCorrupt = nameof(LayerCorrupt);
    /// <summary>An image config that cannot be parsed or whose rootfs.diff_ids do not match the manifest's layers.</summary>
    public const string InvalidImageConfig = nameof(InvalidImageConfig);

    // Expand-Image: a target directory with entries in it (without -Force).
    public const string ExpandTargetNotEmpty = nameof(ExpandTargetNotEmpty);

    // Invoke-ImageHandler: a -Handler value that is neither a scriptblock nor a built-in handler name; a script handler that threw.
    public const string InvalidHandler = nameof(InvalidHandler);
    public const string HandlerFailed = nameof(HandlerFailed);

    private static readonly Dictionary<string, ErrorClass> ClassById = new(StringComparer.Ordinal)
    {
        [InvalidReference] = ErrorClass.InvalidArgument,
        [InvalidPlatform] = ErrorClass.InvalidArgument,
        [InvalidDigest] = ErrorClass.InvalidArgument,
        [InvalidMediaType] = ErrorClass.InvalidArgument,
        [InvalidTag] = ErrorClass.InvalidArgument,
        [InvalidSize] = ErrorClass.InvalidArgument,
        [InvalidDescriptor] = ErrorClass.InvalidArgument,
        [InvalidManifest] = ErrorClass.InvalidArgument,
        [MediaTypeMismatch] = ErrorClass.InvalidArgument,
        [UnsupportedDigestAlgorithm] = ErrorClass.NotImplemented,
        [UnsupportedMediaType] = ErrorClass.NotImplemented,
        [ManifestTooLarge] = ErrorClass.ResourceExhausted,
        [UnsupportedSchema1] = ErrorClass.NotImplemented,
        [ManifestNotFound] = ErrorClass.NotFound,
        [BlobNotFound] = ErrorClass.NotFound,
        [RepositoryNotFound] = ErrorClass.NotFound,
        [PlatformNotFound] = ErrorClass.NotFound,
        [IngestLocked] = ErrorClass.Unavailable,
        // containerd's commit reports an unexpected digest as FailedPrecondition.
        [DigestMismatch] = ErrorClass.FailedPrecondition,
        [SizeMismatch] = ErrorClass.FailedPrecondition,
        [DigesterFinished] = ErrorClass.FailedPrecondition,
        [IngestNotFound] = ErrorClass.NotFound,
        [InvalidIngestRef] = ErrorClass.InvalidArgument,
        [BlobAlreadyExists] = ErrorClass.AlreadyExists,
        // A writer used after Commit (or after Dispose), like containerd's "closed writer".
        [WriterClosed] = ErrorClass.FailedPrecondition,
        // The store root exists but is not an OCI layout this engine can use.
        [StoreInvalid] = ErrorClass.FailedPrecondition,
        [StoreAccessDenied] = ErrorClass.PermissionDenied,
        [InvalidFilter] = ErrorClass.InvalidArgument,
        [InvalidLabel] = ErrorClass.InvalidArgument,
        [InvalidFieldPath] = ErrorClass.InvalidArgument,
        [InvalidImageName] = ErrorClass.InvalidArgument,
        [ImageNotFound] = ErrorClass.NotFound,
        [ImageExists] = ErrorClass.AlreadyExists,
        [CorruptMetadata] = ErrorClass.DataLoss,
        [PathNotFound] = ErrorClass.NotFound,
        [PathIsDirectory] = ErrorClass.InvalidArgument,
        [InvalidPath] = ErrorClass.InvalidArgument,
        [BlobCorrupt] = ErrorClass.DataLoss,
        [InvalidLeaseId] = ErrorClass.InvalidArgument,
        [LeaseNotFound] = ErrorClass.NotFound,
        [LeaseInUse] = ErrorClass.Unavailable,
        [RegistryRateLimited] = ErrorClass.ResourceExhausted,
        [RegistryUnauthorized] = ErrorClass.Unauthenticated,
        [RegistryDenied] = ErrorClass.PermissionDenied,
        [RegistryUnavailable] = ErrorClass.Unavailable,
        [InvalidHostsConfiguration] = ErrorClass.InvalidArgument,
        [InvalidCredentialConfig] = ErrorClass.InvalidArgument,
        [CredentialHelperNotFound] = ErrorClass.NotFound,
        [CredentialHelperFailed] = ErrorClass.Unavailable,
        [ArchiveInvalid] = ErrorClass.InvalidArgument,
        [ArchiveUnsafeEntry] = ErrorClass.InvalidArgument,
        [ArchiveTruncated] = ErrorClass.DataLoss,
        [ExportTargetExists] = ErrorClass.AlreadyExists,
        [Unknown] = ErrorClass.Unknown,
        [InvalidArgument] = ErrorClass.InvalidArgument,
        [NotFound] = ErrorClass.NotFound,
        [AlreadyExists] = ErrorClass.AlreadyExists,
        [PermissionDenied] = ErrorClass.PermissionDenied,
        [ResourceExhausted] = ErrorClass.ResourceExhausted,
        [FailedPrecondition] = ErrorClass.FailedPrecondition,
        [Conflict] = ErrorClass.Conflict,
        [NotModified] = ErrorClass.NotModified,
        [Aborted] = ErrorClass.Aborted,
        [OutOfRange] = ErrorClass.OutOfRange,
        [NotImplemented] = ErrorClass.NotImplemented,
        [Internal] = ErrorClass.Internal,
        [Unavailable] = ErrorClass.Unavailable,
        [DataLoss] = ErrorClass.DataLoss,
        [Unauthenticated] = ErrorClass.Unauthenticated,
        [OperationCanceled] = ErrorClass.Canceled,
        [DeadlineExceeded] = ErrorClass.DeadlineExceeded,
        [TagConflict] = ErrorClass.FailedPrecondition,
        [UnpackUnsafeEntry] = ErrorClass.InvalidArgument,
        [UnpackInvalidEntry] = ErrorClass.InvalidArgument,
        [LayerDiffIdMismatch] = ErrorClass.DataLoss,
        [LayerCorrupt] = ErrorClass.DataLoss,
        [InvalidImageConfig] = ErrorClass.InvalidArgument,
        [ExpandTargetNotEmpty] = ErrorClass.AlreadyExists,
        [InvalidHandler] = ErrorClass.InvalidArgument,
        [HandlerFailed] = ErrorClass.Unknown,
    };

    /// <summary>
    /// The class an ErrorId is raised with. Accepts a bare id ("InvalidReference") or PowerShell's
    /// FullyQualifiedErrorId ("InvalidReference,ContentPS.Commands.ConvertToImageReferenceCommand").
    /// Null for ids not in the catalog and for <see cref="RegistryError"/>, whose class varies.
    /// </summary>
    public static ErrorClass? ClassOf(string errorId)
    {
        ArgumentNullException.ThrowIfNull(errorId);
        var comma = errorId.IndexOf(',');
        var bare = comma < 0 ? errorId : errorId[..comma];
        return ClassById.TryGetValue(bare, out var errorClass) ? errorClass : null;
    }

    /// <summary>The ErrorId to use when the thrower gave none.</summary>
    public static string DefaultFor(ErrorClass errorClass) => errorClass switch
    {
        ErrorClass.Canceled => OperationCanceled,
        _ when Enum.IsDefined(errorClass) => errorClass.ToString(),
        _ => throw new ArgumentOutOfRangeException(nameof(errorClass), errorClass, "Not an errdefs class."),
    };
}
