using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.PostServices;
using Posthorn.Web.PostServices;

namespace Posthorn.Cli;

/// <summary>posthorn service add|list|remove: POST services of a repository.</summary>
public static class ServiceCommand
{
    public static Command Create(CliConsole console) => new("service", "Manage a repository's POST services") { AddVerb(console), ListVerb(console), RemoveVerb(console) };

    private static Command AddVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var url = new Argument<string>("url") { Description = "Receiver URL; https://user:pass@host/ sends HTTP Basic credentials" };
        var format = new Option<string>("--format") { Description = "bitbucket-post (form field payload=, default) or json", DefaultValueFactory = _ => "bitbucket-post" };
        var secret = new Option<string[]>("--secret") { Description = "Standard Webhooks signing secret (repeat while rotating)", AllowMultipleArgumentsPerToken = false };
        var add = new Command("add", "Add a POST service: every push is POSTed to URL") { fullName, url, format, secret };
        add.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var repository = await RepoCommand.FindAsync(services, parse.GetValue(fullName), ct);
            var settings = Settings(parse.GetValue(url), parse.GetValue(format), parse.GetValue(secret) ?? []);
            var limit = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PostServiceOptions>>().Value.MaxPerRepository;
            var service = await services.GetRequiredService<IPostServiceStore>()
                .CreateServiceAsync(repository.Id, settings, limit, services.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
            await console.Output.WriteLineAsync($"{service.Id}\t{ServiceUrl.Mask(service.Url)}\t{service.Format.ToName()}");
            return ExitCodes.Ok;
        });
        return add;
    }

    /// <summary>The API's rules; a value they refuse is a usage error (exit 2) naming the argument, as for any bad argument.</summary>
    private static PostServiceSettings Settings(string? url, string? format, IReadOnlyList<string> secrets)
    {
        try
        {
            return PostServiceSettingsRules.Validate(url, format, true, secrets);
        }
        catch (Core.ValidationException e)
        {
            throw new UsageException($"{e.Field}: {e.Message}");
        }
    }

    private static Command ListVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var list = new Command("list", "List POST services: id, URL (credentials masked), format, state, consecutive failures") { fullName };
        list.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var repository = await RepoCommand.FindAsync(services, parse.GetValue(fullName), ct);
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            foreach (var s in await services.GetRequiredService<IPostServiceStore>().ListServicesAsync(repository.Id, ct))
            {
                await console.Output.WriteLineAsync(
                    $"{s.Id}\t{ServiceUrl.Mask(s.Url)}\t{s.Format.ToName()}\t{Web.Api.ServiceView.StateOf(s, now)}\t{s.Health.ConsecutiveFailures}");
            }

            return ExitCodes.Ok;
        });
        return list;
    }

    private static Command RemoveVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var id = IdArgument.Create("id", "service");
        var remove = new Command("remove", "Remove a POST service with its delivery log") { fullName, id };
        remove.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var repository = await RepoCommand.FindAsync(services, parse.GetValue(fullName), ct);
            if (!await services.GetRequiredService<IPostServiceStore>().DeleteServiceAsync(repository.Id, parse.GetValue(id), ct))
            {
                throw new Core.NotFoundException($"no service {parse.GetValue(id)} on {repository.FullName}.");
            }

            await console.Output.WriteLineAsync($"removed service {parse.GetValue(id)}");
            return ExitCodes.Ok;
        });
        return remove;
    }
}
