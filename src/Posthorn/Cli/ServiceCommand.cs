using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.PostServices;
using Posthorn.Web.PostServices;

namespace Posthorn.Cli;

/// <summary>posthorn service add|edit|list|remove: POST services of a repository.</summary>
public static class ServiceCommand
{
    private const string FormatHelp = "bitbucket-post (form field payload=, default), json, bitbucket-cloud or github; any case";

    private const string EventsHelp = "Comma-separated events: push (default), pullrequest:created, pullrequest:updated, pullrequest:fulfilled, pullrequest:rejected";

    private const string BranchesHelp = "Comma-separated branch globs, e.g. main,release/* ('*' within a path segment, '**' across); empty: every branch and tag";

    public static Command Create(CliConsole console) =>
        new("service", "Manage a repository's POST services") { AddVerb(console), EditVerb(console), ListVerb(console), RemoveVerb(console) };

    private static Command AddVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var url = new Argument<string>("url") { Description = "Receiver URL; https://user:pass@host/ sends HTTP Basic credentials" };
        var format = new Option<string>("--format") { Description = FormatHelp, DefaultValueFactory = _ => "bitbucket-post" };
        var secret = new Option<string[]>("--secret") { Description = "Signing secret (repeat while rotating); the format's own signature, Standard Webhooks for bitbucket-post/json", AllowMultipleArgumentsPerToken = false };
        var events = new Option<string[]>("--events") { Description = EventsHelp };
        var branches = new Option<string[]>("--branches") { Description = BranchesHelp };
        var standardWebhooks = new Option<bool>("--standard-webhooks") { Description = "Also send Standard Webhooks headers with github or bitbucket-cloud" };
        var githubForm = new Option<bool>("--github-form") { Description = "github only: GitHub's form variant (payload= form-encoded) instead of a JSON body" };
        var add = new Command("add", "Add a POST service: every push (or the chosen events) is POSTed to URL")
        {
            fullName, url, format, secret, events, branches, standardWebhooks, githubForm,
        };
        add.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var repository = await RepoCommand.FindAsync(services, parse.GetValue(fullName), ct);
            var settings = Settings(() => PostServiceSettingsRules.Validate(
                parse.GetValue(url), parse.GetValue(format), true, parse.GetValue(secret) ?? [],
                CommaList(parse.GetValue(events)), CommaList(parse.GetValue(branches)), parse.GetValue(standardWebhooks), parse.GetValue(githubForm)));
            var limit = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PostServiceOptions>>().Value.MaxPerRepository;
            var service = await services.GetRequiredService<IPostServiceStore>()
                .CreateServiceAsync(repository.Id, settings, limit, services.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
            await console.Output.WriteLineAsync($"{service.Id}\t{ServiceUrl.Mask(service.Url)}\t{service.Format.ToName()}");
            return ExitCodes.Ok;
        });
        return add;
    }

    /// <summary>posthorn service edit: changes only what is given; everything left out keeps its value.</summary>
    private static Command EditVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var id = new Argument<long>("id");
        var url = new Option<string?>("--url") { Description = "New receiver URL" };
        var format = new Option<string?>("--format") { Description = FormatHelp };
        var secret = new Option<string[]>("--secret") { Description = "Replace the signing secrets (repeat while rotating)", AllowMultipleArgumentsPerToken = false };
        var events = new Option<string[]>("--events") { Description = EventsHelp };
        var branches = new Option<string[]>("--branches") { Description = BranchesHelp + "; --branches '' clears the filter" };
        var active = new Option<bool?>("--active") { Description = "true or false" };
        var standardWebhooks = new Option<bool?>("--standard-webhooks") { Description = "true or false: Standard Webhooks headers also with github or bitbucket-cloud" };
        var githubForm = new Option<bool?>("--github-form") { Description = "true or false: github's form variant" };
        var edit = new Command("edit", "Change a POST service's URL, format, events, branches or secrets")
        {
            fullName, id, url, format, secret, events, branches, active, standardWebhooks, githubForm,
        };
        edit.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var repository = await RepoCommand.FindAsync(services, parse.GetValue(fullName), ct);
            var store = services.GetRequiredService<IPostServiceStore>();
            var service = await store.FindServiceAsync(repository.Id, parse.GetValue(id), ct)
                ?? throw new Core.NotFoundException($"no service {parse.GetValue(id)} on {repository.FullName}.");
            var secrets = parse.GetValue(secret);
            var settings = Settings(() => PostServiceSettingsRules.Validate(
                parse.GetValue(url) ?? service.Url,
                parse.GetValue(format) ?? service.Format.ToName(),
                parse.GetValue(active) ?? service.IsActive,
                secrets is { Length: > 0 } ? secrets : service.Secrets,
                parse.GetResult(events) is null ? service.Events : CommaList(parse.GetValue(events)),
                parse.GetResult(branches) is null ? service.Branches : CommaList(parse.GetValue(branches)),
                parse.GetValue(standardWebhooks) ?? service.StandardWebhooks,
                parse.GetValue(githubForm) ?? service.FormEncoded));
            await store.UpdateServiceAsync(repository.Id, service.Id, settings, ct);
            await console.Output.WriteLineAsync($"{service.Id}	{ServiceUrl.Mask(settings.Url)}	{settings.Format.ToName()}	{string.Join(',', settings.Events)}	{string.Join(',', settings.Branches)}");
            return ExitCodes.Ok;
        });
        return edit;
    }

    /// <summary>"a,b" "c" → a, b, c: the list options take commas, repetition, or both.</summary>
    private static string[] CommaList(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();

    /// <summary>The API's rules; a value they refuse is a usage error (exit 2) naming the argument, as for any bad argument.</summary>
    private static PostServiceSettings Settings(Func<PostServiceSettings> validate)
    {
        try
        {
            return validate();
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
        var id = new Argument<long>("id");
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
