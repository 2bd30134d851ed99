namespace Posthorn.Web.Pages.Shared;

/// <summary>One labelled text input with its hint and the server's error for it, rendered by _Field.cshtml.</summary>
/// <param name="Field">The validation field name (ValidationException.Field) and the input's id.</param>
/// <param name="Name">The form field name the page model binds.</param>
public sealed record FieldModel(
    string Field, string Name, string Label, string? Value, IReadOnlyDictionary<string, string> Errors, string? Hint = null,
    string Type = "text", bool Required = false, string? Placeholder = null)
{
    public string? Error => Errors.TryGetValue(Field, out var e) ? e : null;
}
