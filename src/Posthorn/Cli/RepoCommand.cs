using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core;
using Posthorn.Core.Repositories;
using Posthorn.Web.Repositories;

namespace Posthorn.Cli;

/// <summary>posthorn repo create|list|grant.</summary>
public static class RepoCommand
{
    public static Command Create(CliConsole console) => new("repo", "Manage repositories") { CreateVerb(console), ListVerb(console), GrantVerb(console) };

    internal static (string Owner, string Slug) ParseFullName(string? text) =>
        RepositoryName.ParseFullName(text) ?? throw new UsageException($"'{text}' is not OWNER/SLUG (lower-case letters, digits, '.', '-', '_').");

    internal static async Task<Repository> FindAsync(IServiceProvider services, string? fullName, CancellationToken ct)
    {
        var (owner, slug) = ParseFullName(fullName);
        return await services.GetRequiredService<IRepositoryStore>().FindRepositoryAsync(owner, slug, ct)
            ?? throw new NotFoundException($"no repository {owner}/{slug}.");
    }

    private static Command CreateVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var isPrivate = new Option<bool>("--private") { Description = "Only people with read permission can see it" };
        var name = new Option<string?>("--name") { Description = "Display name (default: the slug)" };
        var website = new Option<string?>("--website") { Description = "Project website, shown in payloads" };
        var scm = new Option<string>("--scm") { Description = "Version control system: git or hg (Mercurial)", DefaultValueFactory = _ => Scms.Git };
        scm.AcceptOnlyFromAmong(Scms.Git, Scms.Mercurial);
        var create = new Command("create", "Create a repository owned by an existing user") { fullName, isPrivate, name, website, scm };
        create.SetAction(async (parse, ct) =>
        {
            var (owner, slug) = ParseFullName(parse.GetValue(fullName));
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var repository = await services.GetRequiredService<RepositoryCatalog>()
                .CreateAsync(owner, slug, parse.GetValue(name), parse.GetValue(isPrivate), parse.GetValue(website), ct, parse.GetValue(scm) ?? Scms.Git);
            await console.Output.WriteLineAsync($"created {repository.FullName}{(repository.IsPrivate ? " (private)" : "")}{(repository.Scm == Scms.Mercurial ? " (hg)" : "")}");
            return ExitCodes.Ok;
        });
        return create;
    }

    private static Command ListVerb(CliConsole console)
    {
        var json = CliOutput.JsonOption();
        var list = new Command("list", "List every repository: full name, visibility, display name") { json };
        list.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var repositories = await services.GetRequiredService<IRepositoryStore>().ListRepositoriesAsync(ct);
            if (parse.GetValue(json))
            {
                await CliOutput.WriteJsonAsync(console.Output, repositories.Select(r => new { r.FullName, r.Owner, r.Slug, r.Name, IsPrivate = r.IsPrivate, r.Scm, r.CreatedAt }));
                return ExitCodes.Ok;
            }

            await CliOutput.WriteTableAsync(console.Output, ["REPOSITORY", "VISIBILITY", "NAME"],
                repositories.Select(r => (IReadOnlyList<string>)[r.FullName, r.IsPrivate ? "private" : "public", r.Name]));
            return ExitCodes.Ok;
        });
        return list;
    }

    private static Command GrantVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var user = new Argument<string>("user");
        var level = new Argument<string>("permission") { Description = "read, write, admin (or none to revoke)" };
        level.AcceptOnlyFromAmong("read", "write", "admin", "none");
        var grant = new Command("grant", "Give a user read, write or admin permission on a repository") { fullName, user, level };
        grant.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var repository = await FindAsync(services, parse.GetValue(fullName), ct);
            RepositoryCatalog.TryParsePermission(parse.GetValue(level), out var permission);
            await services.GetRequiredService<RepositoryCatalog>().GrantAsync(repository, parse.GetValue(user)!, permission, ct);
            await console.Output.WriteLineAsync($"{parse.GetValue(user)} has {parse.GetValue(level)} on {repository.FullName}");
            return ExitCodes.Ok;
        });
        return grant;
    }
}
