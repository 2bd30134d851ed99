using System.CommandLine;
using Posthorn.Core;

namespace Posthorn.Cli;

/// <summary>Builds the verb tree and runs one command line; errors become one line on stderr and an exit code.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        var console = new CliConsole(input, output, error);
        var root = new RootCommand("Posthorn: a Git server whose pushes are POSTed to the URLs you register.")
        {
            ServeCommand.Create(console),
            UserCommand.Create(console),
            TokenCommand.Create(console),
            RepoCommand.Create(console),
            ServiceCommand.Create(console),
            PullRequestCommand.Create(console),
            DeliveryCommand.Create(console),
            PushCommand.Create(console),
        };
        root.Options.Add(CliSettings.DataOption);
        root.Options.Add(CliSettings.DatabaseOption);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var line in ParseProblems.Lines(parse))
            {
                await error.WriteLineAsync($"posthorn: {line}");
            }

            await error.WriteLineAsync($"Run '{ParseProblems.CommandPath(parse)} --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"posthorn: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is ValidationException or ConflictException or NotFoundException)
        {
            await error.WriteLineAsync($"posthorn: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // One line, no stack trace: the message is for a person at a terminal or a script's log.
            await error.WriteLineAsync($"posthorn: {ProblemLine.Describe(e)}");
            return ExitCodes.Failure;
        }
    }
}
