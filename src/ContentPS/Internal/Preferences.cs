using System.Management.Automation;

namespace ContentPS.Internal;

/// <summary>
/// The preference in effect for one stream of one cmdlet call, as PowerShell decides it: the
/// common parameter when bound (<c>-Verbose</c>, <c>-Debug</c>, <c>-ProgressAction</c>), else the
/// preference variable seen from the caller's scope. Read on the pipeline thread only.
/// </summary>
internal static class Preferences
{
    public static bool VerboseEnabled(PSCmdlet cmdlet) =>
        IsShown(FromSwitch(cmdlet, "Verbose") ?? FromVariable(cmdlet, "VerbosePreference"));

    public static bool DebugEnabled(PSCmdlet cmdlet) =>
        IsShown(FromSwitch(cmdlet, "Debug") ?? FromVariable(cmdlet, "DebugPreference"));

    public static bool ProgressEnabled(PSCmdlet cmdlet) =>
        IsShown(FromAction(cmdlet, "ProgressAction") ?? FromVariable(cmdlet, "ProgressPreference"));

    /// <summary>SilentlyContinue and Ignore hide a stream; anything else (or no value: PowerShell's default) shows it.</summary>
    internal static bool IsShown(ActionPreference? preference) =>
        preference is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);

    private static ActionPreference? FromSwitch(PSCmdlet cmdlet, string name) =>
        cmdlet.MyInvocation.BoundParameters.TryGetValue(name, out object? value)
            ? (ToBool(value) ? ActionPreference.Continue : ActionPreference.SilentlyContinue)
            : null;

    private static ActionPreference? FromAction(PSCmdlet cmdlet, string name) =>
        cmdlet.MyInvocation.BoundParameters.TryGetValue(name, out object? value) ? ToPreference(value) : null;

    private static ActionPreference? FromVariable(PSCmdlet cmdlet, string name) =>
        ToPreference(cmdlet.SessionState.PSVariable.GetValue(name));

    private static bool ToBool(object? value) => value switch
    {
        PSObject wrapper => ToBool(wrapper.BaseObject),
        SwitchParameter flag => flag.IsPresent,
        bool flag => flag,
        _ => value is not null,
    };

    private static ActionPreference? ToPreference(object? value) => value switch
    {
        PSObject wrapper => ToPreference(wrapper.BaseObject),
        ActionPreference preference => preference,
        string text when Enum.TryParse(text, ignoreCase: true, out ActionPreference parsed) => parsed,
        int number when Enum.IsDefined(typeof(ActionPreference), number) => (ActionPreference)number,
        _ => null,
    };
}
