using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core;
using Posthorn.Core.Accounts;
using Posthorn.Core.PullRequests;
using Posthorn.Git.PullRequests;

namespace Posthorn.Cli;

/// <summary>
/// posthorn pr create|list|show|merge|decline. Like the other verbs it works on the server's data
/// directly (an operator's tool, no permission checks); --as names the account that opens, merges or
/// declines, which is what the pull request, the merge commit, the recorded push and the events show.
/// </summary>
public static class PullRequestCommand
{
    public static Command Create(CliConsole console) =>
        new("pr", "Pull requests of a git repository") { CreateVerb(console), ListVerb(console), ShowVerb(console), MergeVerb(console), DeclineVerb(console) };

    private static Option<string> AsOption() => new("--as") { Description = "The user acting (author, merger or decliner)", Required = true };

    private static Command CreateVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var source = new Option<string>("--source") { Description = "Source branch (the changes)", Required = true };
        var destination = new Option<string>("--destination") { Description = "Destination branch", DefaultValueFactory = _ => "main" };
        var title = new Option<string>("--title") { Required = true };
        var description = new Option<string?>("--description");
        var actor = AsOption();
        var create = new Command("create", "Open a pull request from one branch to another") { fullName, source, destination, title, description, actor };
        create.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var repository = await RepoCommand.FindAsync(services, parse.GetValue(fullName), ct);
            var account = await AccountAsync(services, parse.GetValue(actor), ct);
            var opened = await services.GetRequiredService<PullRequestWorkflow>().OpenAsync(
                repository, account.Username, new PullRequestDraft(parse.GetValue(title), parse.GetValue(description), parse.GetValue(source), parse.GetValue(destination)), ct);
            await console.Output.WriteLineAsync($"opened pull request #{opened.Id} ({opened.SourceBranch} -> {opened.DestinationBranch})");
            return ExitCodes.Ok;
        });
        return create;
    }

    private static Command ListVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var state = new Option<string?>("--state") { Description = "OPEN, MERGED or DECLINED (default: all)" };
        state.AcceptOnlyFromAmong("OPEN", "MERGED", "DECLINED", "open", "merged", "declined");
        var list = new Command("list", "List pull requests, newest first: id, state, branches, title") { fullName, state };
        list.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var repository = await RepoCommand.FindAsync(services, parse.GetValue(fullName), ct);
            PullRequestState? filter = PullRequestNames.TryParseState(parse.GetValue(state), out var parsed) ? parsed : null;
            foreach (var p in await services.GetRequiredService<IPullRequestStore>().ListPullRequestsAsync(repository.Id, filter, 1000, ct))
            {
                await console.Output.WriteLineAsync($"#{p.Id}\t{p.State.ToName()}\t{p.SourceBranch} -> {p.DestinationBranch}\t{p.Title}");
            }

            return ExitCodes.Ok;
        });
        return list;
    }

    private static Command ShowVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var id = new Argument<long>("id");
        var show = new Command("show", "Show one pull request") { fullName, id };
        show.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var repository = await RepoCommand.FindAsync(services, parse.GetValue(fullName), ct);
            var p = await services.GetRequiredService<IPullRequestStore>().FindPullRequestAsync(repository.Id, parse.GetValue(id), ct)
                ?? throw new NotFoundException($"no pull request #{parse.GetValue(id)} in {repository.FullName}.");
            await WriteAsync(console, p);
            return ExitCodes.Ok;
        });
        return show;
    }

    private static Command MergeVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var id = new Argument<long>("id");
        var strategy = new Option<string>("--strategy") { Description = "merge_commit (default), squash or fast_forward", DefaultValueFactory = _ => "merge_commit" };
        strategy.AcceptOnlyFromAmong("merge_commit", "squash", "fast_forward");
        var actor = AsOption();
        var expected = new Option<string?>("--source-commit") { Description = "Refuse unless the source branch is still at this commit (the one reviewed)" };
        var merge = new Command("merge", "Merge a pull request on the server (recorded and announced as a push by --as)") { fullName, id, strategy, actor, expected };
        merge.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var repository = await RepoCommand.FindAsync(services, parse.GetValue(fullName), ct);
            var account = await AccountAsync(services, parse.GetValue(actor), ct);
            PullRequestNames.TryParseStrategy(parse.GetValue(strategy), out var parsed);
            var merged = await services.GetRequiredService<PullRequestWorkflow>().MergeAsync(
                repository, parse.GetValue(id), parsed, new MergeIdentity(account.Username, account.Email), parse.GetValue(expected)?.ToLowerInvariant(), ct);
            await console.Output.WriteLineAsync($"merged pull request #{merged.Id} into {merged.DestinationBranch}: {merged.MergeCommit}");
            return ExitCodes.Ok;
        });
        return merge;
    }

    private static Command DeclineVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var id = new Argument<long>("id");
        var actor = AsOption();
        var decline = new Command("decline", "Decline a pull request") { fullName, id, actor };
        decline.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var repository = await RepoCommand.FindAsync(services, parse.GetValue(fullName), ct);
            var account = await AccountAsync(services, parse.GetValue(actor), ct);
            var declined = await services.GetRequiredService<PullRequestWorkflow>().DeclineAsync(repository, parse.GetValue(id), account.Username, ct);
            await console.Output.WriteLineAsync($"declined pull request #{declined.Id}");
            return ExitCodes.Ok;
        });
        return decline;
    }

    private static async Task<Account> AccountAsync(IServiceProvider services, string? username, CancellationToken ct) =>
        await services.GetRequiredService<IAccountStore>().FindAccountAsync(username ?? "", ct) ?? throw new NotFoundException($"no user '{username}'.");

    private static async Task WriteAsync(CliConsole console, PullRequest p)
    {
        var o = console.Output;
        await o.WriteLineAsync($"#{p.Id} {p.Title}");
        await o.WriteLineAsync($"state:       {p.State.ToName()}");
        await o.WriteLineAsync($"author:      {p.Author}");
        await o.WriteLineAsync($"source:      {p.SourceBranch} {p.SourceCommit}");
        await o.WriteLineAsync($"destination: {p.DestinationBranch} {p.DestinationCommit}");
        if (p.MergeCommit is not null)
        {
            await o.WriteLineAsync($"merge:       {p.MergeCommit}");
        }

        if (p.ClosedAt is { } closedAt)
        {
            await o.WriteLineAsync($"closed:      {closedAt:u} by {(string.IsNullOrEmpty(p.ClosedBy) ? "(outside Posthorn)" : p.ClosedBy)}");
        }

        if (p.Description.Length > 0)
        {
            await o.WriteLineAsync();
            await o.WriteLineAsync(p.Description);
        }
    }
}
