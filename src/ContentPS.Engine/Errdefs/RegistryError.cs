namespace ContentPS.Engine.Errdefs;

/// <summary>
/// One entry of an OCI distribution error body (<c>{"errors":[{"code","message","detail"}]}</c>).
/// Any field the registry left out is null; <see cref="Detail"/> is the raw JSON text.
/// </summary>
public sealed record RegistryError(string? Code, string? Message, string? Detail);
