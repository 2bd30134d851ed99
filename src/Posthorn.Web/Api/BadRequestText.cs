using System.Text.Json;
using System.Text.RegularExpressions;

namespace Posthorn.Web.Api;

/// <summary>
/// Says what was wrong with a request the framework could not read — which field, what value, what
/// was expected — in words, without .NET type names ("HTTP 400 for POST" helped nobody).
/// </summary>
public static partial class BadRequestText
{
    public static (string Detail, string? Field) Describe(BadHttpRequestException e)
    {
        if (e.InnerException is JsonException json)
        {
            var field = json.Path is null or "$" ? null : json.Path.TrimStart('$', '.');
            if (field is not null && json.Message.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal))
            {
                return ($"'{field}' has a value of the wrong type: expected {Expected(json.InnerException?.Message ?? json.Message.Split(" Path:", 2)[0])}.", field);
            }

            var reason = json.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd();
            var where = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine})" : "";
            return ($"The body is not valid JSON{where}: {reason}", field);
        }

        if (BindFailure().Match(e.Message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            return ($"'{name}' = '{bind.Groups["value"].Value}' is not valid: expected {Expected(bind.Groups["type"].Value)}.", name);
        }

        if (RequiredMissing().Match(e.Message) is { Success: true } required)
        {
            return ($"'{required.Groups["name"].Value}' is required.", required.Groups["name"].Value);
        }

        return e.StatusCode switch
        {
            StatusCodes.Status415UnsupportedMediaType => ("Send the body as JSON with Content-Type: application/json.", null),
            StatusCodes.Status413PayloadTooLarge => ("The body is too large.", null),
            _ when e.Message.Contains("no body was provided", StringComparison.Ordinal) => ("A JSON body is required.", null),
            _ => ("The request could not be read: malformed JSON, wrong content type or a body too large.", null),
        };
    }

    /// <summary>A CLR type name as a person would say what they should have sent.</summary>
    internal static string Expected(string clrType)
    {
        // The converter's own message names the value's type (the outer message may name only the record holding it);
        // the name may be nested and assembly-qualified (Nullable`1[[System.DateTimeOffset, ...]]): look for the inner type's word.
        var type = NullableOf().Match(clrType) is { Success: true } m ? m.Groups["inner"].Value : clrType;
        return type switch
        {
            _ when type.Contains("DateTime", StringComparison.Ordinal) => "an ISO 8601 time such as 2026-01-31T12:00:00Z",
            _ when type.Contains("List", StringComparison.Ordinal) || type.Contains("[]", StringComparison.Ordinal) => "an array",
            _ when type.Contains("Boolean", StringComparison.Ordinal) || type == "bool" => "true or false",
            _ when type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) || type is "int" or "long" => "a whole number",
            _ when type.Contains("Guid", StringComparison.Ordinal) => "an id like 0193a0c2-7d3e-7c1a-9b0e-5f7a1c2d3e4f",
            _ when type.Contains("String", StringComparison.Ordinal) || type == "string" => "a string",
            _ => "a value of another kind",
        };
    }

    [GeneratedRegex("^Failed to bind parameter \"(?<type>\\S+) (?<name>[^\"]+)\" from \"(?<value>[^\"]*)\"")]
    private static partial Regex BindFailure();

    [GeneratedRegex("^Required parameter \"(?<type>\\S+) (?<name>[^\"]+)\" was not provided")]
    private static partial Regex RequiredMissing();

    [GeneratedRegex(@"Nullable`1\[\[?(?<inner>[^\],]+)")]
    private static partial Regex NullableOf();
}
