using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Pushes;
using Posthorn.Web.Api;

namespace Posthorn.Cli;

/// <summary>posthorn push list: a repository's recorded pushes, newest first.</summary>
public static class PushCommand
{
    public static Command Create(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var limit = new Option<int>("--limit") { Description = "How many, newest first (default 50)", DefaultValueFactory = _ => 50 };
        var json = CliOutput.JsonOption();
        var list = new Command("list", "List recorded pushes: id, pusher, time, commits, refs") { fullName, limit, json };
        list.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var repository = await RepoCommand.FindAsync(services, parse.GetValue(fullName), ct);
            var pushes = await services.GetRequiredService<IPushStore>().ListPushesAsync(repository.Id, Math.Clamp(parse.GetValue(limit), 1, 1000), null, ct);
            if (parse.GetValue(json))
            {
                await CliOutput.WriteJsonAsync(console.Output, pushes.Select(PushView.Of));
                return ExitCodes.Ok;
            }

            await CliOutput.WriteTableAsync(console.Output, ["ID", "PUSHER", "PUSHED", "COMMITS", "REFS"], pushes.Select(p => (IReadOnlyList<string>)
            [
                p.Id.ToString(CultureInfo.InvariantCulture), PushView.Of(p).Pusher ?? "(recovered)", CliOutput.Time(p.PushedAt),
                p.CommitCount.ToString(CultureInfo.InvariantCulture), string.Join(' ', p.RefUpdates.Select(u => u.RefName)),
            ]));
            return ExitCodes.Ok;
        });
        return new Command("push", "Inspect recorded pushes") { list };
    }
}
