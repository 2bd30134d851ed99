using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core;
using Posthorn.Core.Accounts;
using Posthorn.Web.Accounts;

namespace Posthorn.Cli;

/// <summary>posthorn token create|list|revoke: personal access tokens. create prints the token once; only its hash is kept.</summary>
public static class TokenCommand
{
    public static Command Create(CliConsole console) => new("token", "Manage personal access tokens") { CreateVerb(console), ListVerb(console), RevokeVerb(console) };

    private static async Task<Account> AccountAsync(IServiceProvider services, string username, CancellationToken ct) =>
        await services.GetRequiredService<IAccountStore>().FindAccountAsync(username, ct) ?? throw new NotFoundException($"no account named '{username}'.");

    private static Command CreateVerb(CliConsole console)
    {
        var user = new Argument<string>("user") { Description = "The user the token acts as" };
        var label = new Option<string>("--label") { Description = "What the token is for", DefaultValueFactory = _ => "cli" };
        var create = new Command("create", "Create a personal access token and print it (it is never shown again)") { user, label };
        create.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var account = await AccountAsync(services, parse.GetValue(user)!, ct);
            var (_, secret) = await services.GetRequiredService<AccountRegistry>().CreateTokenAsync(account, parse.GetValue(label)!, ct);
            await console.Output.WriteLineAsync(secret);
            return ExitCodes.Ok;
        });
        return create;
    }

    private static Command ListVerb(CliConsole console)
    {
        var user = new Argument<string>("user");
        var json = CliOutput.JsonOption();
        var list = new Command("list", "List a user's tokens: id, name, prefix, created, last used (never the token)") { user, json };
        list.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var account = await AccountAsync(services, parse.GetValue(user)!, ct);
            var tokens = await services.GetRequiredService<IAccountStore>().ListTokensAsync(account.Id, ct);
            if (parse.GetValue(json))
            {
                await CliOutput.WriteJsonAsync(console.Output, tokens.Select(t => new { t.Id, t.Name, t.Prefix, t.CreatedAt, t.LastUsedAt }));
            }
            else
            {
                await CliOutput.WriteTableAsync(console.Output, ["ID", "NAME", "PREFIX", "CREATED", "LAST USED"],
                    tokens.Select(t => (IReadOnlyList<string>)[t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Name, t.Prefix, CliOutput.Time(t.CreatedAt), CliOutput.Time(t.LastUsedAt)]));
            }

            return ExitCodes.Ok;
        });
        return list;
    }

    private static Command RevokeVerb(CliConsole console)
    {
        var user = new Argument<string>("user");
        var id = IdArgument.Create("id", "token");
        var revoke = new Command("revoke", "Revoke a token at once (see `token list` for ids)") { user, id };
        revoke.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var account = await AccountAsync(services, parse.GetValue(user)!, ct);
            if (!await services.GetRequiredService<IAccountStore>().RevokeTokenAsync(account.Id, parse.GetValue(id), ct))
            {
                throw new NotFoundException($"{account.Username} has no token {parse.GetValue(id)}.");
            }

            await console.Output.WriteLineAsync($"revoked token {parse.GetValue(id)} of {account.Username}");
            return ExitCodes.Ok;
        });
        return revoke;
    }
}
