using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Posthorn.Core;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Delivery;
using Posthorn.Web.Api;
using Posthorn.Web.PostServices;

namespace Posthorn.Cli;

/// <summary>posthorn service add|edit|list|show|test|enable|remove: POST services of a repository.</summary>
public static class ServiceCommand
{
    private const string FormatHelp = "bitbucket-post (form field payload=, default), json, bitbucket-cloud or github; any case";

    private const string EventsHelp = "Comma-separated events: push (default), pullrequest:created, pullrequest:updated, pullrequest:fulfilled, pullrequest:rejected";

    private const string BranchesHelp = "Comma-separated branch globs, e.g. main,release/* ('*' within a path segment, '**' across); empty: every branch and tag";

    public static Command Create(CliConsole console) => new("service", "Manage a repository's POST services")
    {
        AddVerb(console), EditVerb(console), ListVerb(console), ShowVerb(console), TestVerb(console), EnableVerb(console), RemoveVerb(console),
    };

    internal static async Task<PostService> FindAsync(IServiceProvider services, string? fullName, long id, CancellationToken ct)
    {
        var repository = await RepoCommand.FindAsync(services, fullName, ct);
        return await services.GetRequiredService<IPostServiceStore>().FindServiceAsync(repository.Id, id, ct)
            ?? throw new NotFoundException($"no service {id} on {repository.FullName} (see `posthorn service list {repository.FullName}`).");
    }

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
        var allowDuplicate = new Option<bool>("--allow-duplicate") { Description = "Add it even if the repository already POSTs to this URL" };
        var add = new Command("add", "Add a POST service: every push (or the chosen events) is POSTed to URL")
        {
            fullName, url, format, secret, events, branches, standardWebhooks, githubForm, allowDuplicate,
        };
        add.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var repository = await RepoCommand.FindAsync(services, parse.GetValue(fullName), ct);
            var settings = Settings(() => PostServiceSettingsRules.Validate(
                parse.GetValue(url), parse.GetValue(format), true, parse.GetValue(secret) ?? [],
                CommaList(parse.GetValue(events)), CommaList(parse.GetValue(branches)), parse.GetValue(standardWebhooks), parse.GetValue(githubForm)));
            var store = services.GetRequiredService<IPostServiceStore>();
            await RefuseDuplicateAsync(store, repository.Id, settings.Url, parse.GetValue(allowDuplicate), ct);
            await WarnOfPrivateTargetAsync(console, services, settings.Url);
            var limit = services.GetRequiredService<IOptions<PostServiceOptions>>().Value.MaxPerRepository;
            var service = await store.CreateServiceAsync(repository.Id, settings, limit, services.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
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
            if (parse.GetValue(url) is not null)
            {
                await WarnOfPrivateTargetAsync(console, services, settings.Url);
            }

            await store.UpdateServiceAsync(repository.Id, service.Id, settings, ct);
            await console.Output.WriteLineAsync($"{service.Id}	{ServiceUrl.Mask(settings.Url)}	{settings.Format.ToName()}	{string.Join(',', settings.Events)}	{string.Join(',', settings.Branches)}");
            return ExitCodes.Ok;
        });
        return edit;
    }

    /// <summary>The command line cannot know how the server was started, so it warns rather than refuses (the API and pages refuse).</summary>
    private static async Task WarnOfPrivateTargetAsync(CliConsole console, IServiceProvider services, string url)
    {
        if (PrivateTargetRule.Problem(url, services.GetRequiredService<IOptions<DeliveryOptions>>().Value.AllowPrivateTargets) is { } problem)
        {
            await console.Error.WriteLineAsync($"posthorn: warning: {problem}");
        }
    }

    /// <summary>"a,b" "c" → a, b, c: the list options take commas, repetition, or both.</summary>
    private static string[] CommaList(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();

    /// <summary>Two services with one URL on one repository send every push twice, which is almost always a mistake (a second `add`).</summary>
    private static async Task RefuseDuplicateAsync(IPostServiceStore store, long repositoryId, string url, bool allowed, CancellationToken ct)
    {
        var same = (await store.ListServicesAsync(repositoryId, ct)).FirstOrDefault(s => string.Equals(s.Url, url, StringComparison.Ordinal));
        if (same is not null && !allowed)
        {
            throw new ConflictException($"service {same.Id} already POSTs to {ServiceUrl.Mask(url)}; every push would be sent twice. Add --allow-duplicate if that is what you want.");
        }
    }

    /// <summary>The API's rules; a value they refuse is a usage error (exit 2) naming the argument, as for any bad argument.</summary>
    private static PostServiceSettings Settings(Func<PostServiceSettings> validate)
    {
        try
        {
            return validate();
        }
        catch (ValidationException e)
        {
            throw new UsageException($"{e.Field}: {e.Message}");
        }
    }

    private static Command ListVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var json = CliOutput.JsonOption();
        var list = new Command("list", "List POST services: id, state, paused until, failures, queued, URL (credentials masked), why it is failing or disabled") { fullName, json };
        list.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var repository = await RepoCommand.FindAsync(services, parse.GetValue(fullName), ct);
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var rows = new List<ServiceStatus>();
            foreach (var s in await services.GetRequiredService<IPostServiceStore>().ListServicesAsync(repository.Id, ct))
            {
                rows.Add(await ServiceStatus.ReadAsync(services.GetRequiredService<IDeliveryStore>(), s, now, ct));
            }

            if (parse.GetValue(json))
            {
                await CliOutput.WriteJsonAsync(console.Output, rows.Select(r => r.ToJson()));
                return ExitCodes.Ok;
            }

            await CliOutput.WriteTableAsync(console.Output, ["ID", "STATE", "PAUSED UNTIL", "FAILURES", "QUEUED", "FORMAT", "URL", "PROBLEM"], rows.Select(r => r.Row()));
            return ExitCodes.Ok;
        });
        return list;
    }

    private static Command ShowVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var id = IdArgument.Create("id", "service");
        var json = CliOutput.JsonOption();
        var show = new Command("show", "Show one POST service: settings, state and why, queued deliveries") { fullName, id, json };
        show.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var service = await FindAsync(services, parse.GetValue(fullName), parse.GetValue(id), ct);
            var status = await ServiceStatus.ReadAsync(services.GetRequiredService<IDeliveryStore>(), service, services.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
            if (parse.GetValue(json))
            {
                await CliOutput.WriteJsonAsync(console.Output, status.ToJson());
                return ExitCodes.Ok;
            }

            foreach (var (label, value) in status.Fields())
            {
                await console.Output.WriteLineAsync($"{label,-14}{value}");
            }

            return ExitCodes.Ok;
        });
        return show;
    }

    private static Command TestVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var id = IdArgument.Create("id", "service");
        var test = new Command("test", "Send a ping now, from this machine, and print the outcome (a success re-enables a paused or disabled service)") { fullName, id };
        test.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var service = await FindAsync(services, parse.GetValue(fullName), parse.GetValue(id), ct);
            var detail = await services.GetRequiredService<PostServiceOperations>().TestAsync(service, Environment.UserName, ct);
            var attempt = detail.Attempts[^1];
            var status = attempt.ResponseStatus is { } code ? $"HTTP {code}" : "no response";
            await console.Output.WriteLineAsync(
                $"ping {ServiceView.OutcomeName(attempt.Outcome)}: {status} in {attempt.Duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms{(attempt.Error is null ? "" : $" ({attempt.Error})")}; delivery {detail.Delivery.Id}");
            return attempt.Outcome == AttemptOutcome.Succeeded ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return test;
    }

    private static Command EnableVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var id = IdArgument.Create("id", "service");
        var enable = new Command("enable", "Re-enable a paused or disabled service: one delivery is tried first, the backlog after it succeeds") { fullName, id };
        enable.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var service = await FindAsync(services, parse.GetValue(fullName), parse.GetValue(id), ct);
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var before = ServiceView.StateOf(service, now);
            await services.GetRequiredService<PostServiceOperations>().ReEnableAsync(service, ct);
            await console.Output.WriteLineAsync(before is "paused" or "disabled" ? $"service {service.Id} re-enabled (was {before})" : $"service {service.Id} was {before}; failure count cleared");
            return ExitCodes.Ok;
        });
        return enable;
    }

    private static Command RemoveVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var id = IdArgument.Create("id", "service");
        var remove = new Command("remove", "Remove a POST service with its delivery log") { fullName, id };
        remove.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var service = await FindAsync(services, parse.GetValue(fullName), parse.GetValue(id), ct);
            await services.GetRequiredService<IPostServiceStore>().DeleteServiceAsync(service.RepositoryId, service.Id, ct);
            await console.Output.WriteLineAsync($"removed service {service.Id}");
            return ExitCodes.Ok;
        });
        return remove;
    }
}
