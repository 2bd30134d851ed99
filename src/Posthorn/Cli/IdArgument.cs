using System.CommandLine;
using System.Globalization;

namespace Posthorn.Cli;

/// <summary>A numeric id argument whose parse error names it in words, not as "expected type 'System.Int64'".</summary>
public static class IdArgument
{
    public static Argument<long> Create(string name, string what) => new(name)
    {
        Description = $"The {what}'s number",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                return id;
            }

            result.AddError($"{name} must be a {what} number like 3, not '{text}'.");
            return 0;
        },
    };
}
