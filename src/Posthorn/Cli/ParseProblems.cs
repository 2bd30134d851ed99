using System.CommandLine;
using System.CommandLine.Parsing;

namespace Posthorn.Cli;

/// <summary>
/// The parser's complaints, each said once: missing arguments are named (System.CommandLine says
/// "Required argument missing for command: 'add'" once per missing argument, without naming it).
/// </summary>
public static class ParseProblems
{
    private const string MissingArgument = "Required argument missing";

    public static IReadOnlyList<string> Lines(ParseResult parse)
    {
        var lines = parse.Errors.Select(e => e.Message).Where(m => !m.StartsWith(MissingArgument, StringComparison.Ordinal)).Distinct().ToList();
        var missing = parse.CommandResult.Command.Arguments
            .Where(a => a.Arity.MinimumNumberOfValues > 0 && !a.HasDefaultValue && parse.GetResult(a) is not ArgumentResult { Tokens.Count: > 0 })
            .Select(a => $"<{a.Name}>")
            .ToList();
        if (missing.Count > 0)
        {
            var usage = string.Join(' ', parse.CommandResult.Command.Arguments.Select(a => $"<{a.Name}>"));
            lines.Insert(0, $"missing {string.Join(" and ", missing)}; usage: {CommandPath(parse)} {usage}");
        }

        return lines;
    }

    public static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? r = parse.CommandResult; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Insert(0, c.Command is RootCommand ? "posthorn" : c.Command.Name);
            }
        }

        return string.Join(' ', names);
    }
}
