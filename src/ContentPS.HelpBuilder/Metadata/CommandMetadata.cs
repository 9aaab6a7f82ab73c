namespace ContentPS.HelpBuilder.Metadata;

/// <summary>What Export-CommandMetadata.ps1 records for one exported command.</summary>
internal sealed record CommandMetadata(
    string Name,
    string Verb,
    string Noun,
    IReadOnlyList<string> OutputTypes,
    string? DefaultParameterSet,
    bool SupportsShouldProcess,
    bool SupportsPaging,
    bool HasCommonParameters,
    IReadOnlyList<ParameterSetMetadata> ParameterSets)
{
    /// <summary>The name PowerShell gives the only set of a command that declares none.</summary>
    public const string AllParameterSets = "__AllParameterSets";

    /// <summary>True when the command has exactly one, unnamed, parameter set.</summary>
    public bool HasSingleUnnamedSet => ParameterSets.Count == 1 && ParameterSets[0].Name == AllParameterSets;

    /// <summary>Every parameter once, in order of first appearance across the sets.</summary>
    public IReadOnlyList<ParameterMetadata> Parameters =>
        ParameterSets.SelectMany(set => set.Parameters)
            .GroupBy(parameter => parameter.Name, StringComparer.OrdinalIgnoreCase)
            .Select(group => group.First())
            .ToList();

    /// <summary>The sets that contain the named parameter.</summary>
    public IReadOnlyList<ParameterSetMetadata> SetsOf(string parameterName) =>
        ParameterSets.Where(set => set.Find(parameterName) is not null).ToList();
}

/// <summary>One parameter set with its syntax line as Get-Command -Syntax prints it.</summary>
internal sealed record ParameterSetMetadata(
    string Name,
    bool IsDefault,
    string Syntax,
    IReadOnlyList<ParameterMetadata> Parameters)
{
    public ParameterMetadata? Find(string name) =>
        Parameters.FirstOrDefault(parameter => string.Equals(parameter.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One parameter as it appears in one parameter set.</summary>
internal sealed record ParameterMetadata(
    string Name,
    string Type,
    string TypeName,
    bool IsSwitch,
    bool Mandatory,
    int? Position,
    bool ValueFromPipeline,
    bool ValueFromPipelineByPropertyName,
    bool ValueFromRemainingArguments,
    IReadOnlyList<string> Aliases,
    bool SupportsWildcards,
    IReadOnlyList<string> AcceptedValues)
{
    /// <summary>"True (ByPropertyName, ByValue)", "True (ByValue)", … or "False", as platyPS and Get-Help write it.</summary>
    public string PipelineInput => (ValueFromPipeline, ValueFromPipelineByPropertyName) switch
    {
        (true, true) => "True (ByPropertyName, ByValue)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };

    /// <summary>"named" or the zero-based position.</summary>
    public string PositionText => Position is { } position ? position.ToString(System.Globalization.CultureInfo.InvariantCulture) : "named";
}
