namespace ContentPS.Engine.Filters;

/// <summary>Exposes an object's fields to filters by path, e.g. ["digest"] or ["labels", "team"].</summary>
public interface IFieldAdaptor
{
    /// <summary>The field's value and whether it is present.</summary>
    (string Value, bool Present) Field(IReadOnlyList<string> fieldPath);
}
