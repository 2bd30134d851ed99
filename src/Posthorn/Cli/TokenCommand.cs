using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core;
using Posthorn.Core.Accounts;
using Posthorn.Web.Accounts;

namespace Posthorn.Cli;

/// <summary>posthorn token create USER [--label L]: prints a personal access token once; only its hash is kept.</summary>
public static class TokenCommand
{
    public static Command Create(CliConsole console)
    {
        var user = new Argument<string>("user") { Description = "The user the token acts as" };
        var label = new Option<string>("--label") { Description = "What the token is for", DefaultValueFactory = _ => "cli" };
        var create = new Command("create", "Create a personal access token and print it (it is never shown again)") { user, label };
        create.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var username = parse.GetValue(user)!;
            var account = await services.GetRequiredService<IAccountStore>().FindAccountAsync(username, ct)
                ?? throw new NotFoundException($"no account named '{username}'.");
            var (_, secret) = await services.GetRequiredService<AccountRegistry>().CreateTokenAsync(account, parse.GetValue(label)!, ct);
            await console.Output.WriteLineAsync(secret);
            return ExitCodes.Ok;
        });

        return new Command("token", "Manage personal access tokens") { create };
    }
}
