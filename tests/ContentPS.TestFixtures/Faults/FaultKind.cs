namespace ContentPS.TestFixtures;

/// <summary>What a <see cref="FaultRule"/> does to a matching request.</summary>
public enum FaultKind
{
    /// <summary>Forward unchanged (with <see cref="FaultRule.DelayMilliseconds"/>: a slow answer).</summary>
    Forward,

    /// <summary>Answer <see cref="FaultRule.StatusCode"/> with <see cref="FaultRule.Body"/> and <see cref="FaultRule.Headers"/>; the registry is not asked.</summary>
    Status,

    /// <summary>Forward, send the headers and the first <see cref="FaultRule.Bytes"/> body bytes, then close the connection.</summary>
    DropAfterBytes,

    /// <summary>Reset the connection (TCP RST) without answering; a clean close would make .NET's HttpClient resend the request by itself.</summary>
    Disconnect,

    /// <summary>Forward, sending the body at <see cref="FaultRule.BytesPerSecond"/>.</summary>
    Trickle,

    /// <summary>Forward with the first body byte inverted (same length, different digest).</summary>
    CorruptBody,

    /// <summary>Answer <see cref="FaultRule.StatusCode"/> (default 307) with <c>Location</c>: the request's path and query on <see cref="FaultRule.RedirectTo"/>, whose own query (a signature) is appended.</summary>
    RedirectTo,

    /// <summary>Forward without <c>Range</c>/<c>If-Range</c>, so a range request gets 200 and the whole body.</summary>
    IgnoreRange,

    /// <summary>Forward and add <see cref="FaultRule.Headers"/> to the response (<c>Warning</c>, <c>Retry-After</c> …).</summary>
    AddHeaders,
}
