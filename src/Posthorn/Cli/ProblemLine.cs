using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Posthorn.Cli;

/// <summary>
/// Turns what went wrong while starting or running a verb into one line a person can act on:
/// never a stack trace and never a .NET type name (an operator should not need the source).
/// </summary>
public static partial class ProblemLine
{
    public static string Describe(Exception e) => e switch
    {
        OptionsValidationException v => $"configuration: {string.Join(" ", v.Failures)} (set it with an environment variable such as Delivery__PauseAfterFailures=5)",
        InvalidOperationException when ConversionFailure().Match(Flatten(e)) is { Success: true } m =>
            $"configuration: {m.Groups["key"].Value} = '{m.Groups["value"].Value}' is not a valid {FriendlyType(m.Groups["type"].Value)}; fix or unset {m.Groups["key"].Value.Replace(":", "__", StringComparison.Ordinal)}.",
        IOException when InnerOf<SocketException>(e) is { SocketErrorCode: SocketError.AddressAlreadyInUse } =>
            "the listen address is already in use (is another posthorn running?); choose another port with --urls.",
        NpgsqlException => $"cannot use the database given by --database: {FirstLine(e.Message)}",
        UnauthorizedAccessException => $"permission denied: {FirstLine(e.Message)}",
        IOException => $"cannot read or write a file: {FirstLine(e.Message)}",
        _ => $"unexpected error: {FirstLine(e.Message)} (run with Logging__LogLevel__Default=Debug for details)",
    };

    internal static string FriendlyType(string clrType) => clrType switch
    {
        "System.TimeSpan" => "duration (hh:mm:ss, e.g. 00:00:30)",
        "System.Int32" or "System.Int64" => "whole number",
        "System.Boolean" => "boolean (true or false)",
        "System.Double" => "number",
        _ => clrType[(clrType.LastIndexOf('.') + 1)..].ToLowerInvariant(),
    };

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : $"{e.Message} {Flatten(e.InnerException)}";

    private static T? InnerOf<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    [GeneratedRegex(@"Failed to convert configuration value '(?<value>[^']*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConversionFailure();
}
