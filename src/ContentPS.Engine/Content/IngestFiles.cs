namespace ContentPS.Engine.Content;

/// <summary>
/// The files of one ingest, flat in <c>ingest/</c> and named by the key of its ref
/// (<see cref="StoreLayout.IngestKey"/>): <c>&lt;key&gt;.data</c> (the bytes so far), <c>&lt;key&gt;.json</c> (the
/// record: see <see cref="IngestRecordFile"/>) and, where the OS has no byte-range locks,
/// <c>&lt;key&gt;.lock</c>. No folder per ingest: every file or folder created and deleted per blob
/// costs the file system far more than the bytes of a small layer.
/// </summary>
internal sealed class IngestFiles
{
    public const string DataExtension = ".data";
    public const string RecordExtension = ".json";
    public const string LockExtension = ".lock";

    private IngestFiles(string directory, string key)
    {
        Key = key;
        Data = Path.Combine(directory, key + DataExtension);
        Record = Path.Combine(directory, key + RecordExtension);
        Lock = Path.Combine(directory, key + LockExtension);
    }

    public string Key { get; }

    public string Data { get; }

    public string Record { get; }

    public string Lock { get; }

    public static IngestFiles Of(StoreLayout layout, string reference) => new(layout.IngestDirectory, StoreLayout.IngestKey(reference));

    public static IngestFiles OfKey(StoreLayout layout, string key) => new(layout.IngestDirectory, key);

    /// <summary>True for a name that is a key: 64 lowercase hex digits.</summary>
    public static bool IsKey(string name) => name.Length == 64 && name.All(char.IsAsciiHexDigitLower);

    /// <summary>Removes the data and the record (each may be missing). The caller holds the lock.</summary>
    public void Delete()
    {
        File.Delete(Record);
        File.Delete(Data);
    }
}
