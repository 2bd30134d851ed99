using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Accounts;
using Posthorn.Web.Accounts;

namespace Posthorn.Cli;

/// <summary>posthorn user add|list. add reads the password from stdin, never argv (argv is visible to every process).</summary>
public static class UserCommand
{
    public static Command Create(CliConsole console) => new("user", "Manage user accounts") { AddVerb(console), ListVerb(console) };

    private static Command AddVerb(CliConsole console)
    {
        var name = new Argument<string>("name") { Description = "Username (lower-case letters, digits, '-', '_')" };
        var email = new Option<string>("--email") { Description = "E-mail address (commits by this address are attributed to the user)", Required = true };
        var admin = new Option<bool>("--admin") { Description = "Make the user a site administrator" };
        var add = new Command("add", "Create a user; the password is read from the first line of standard input") { name, email, admin };
        add.SetAction(async (parse, ct) =>
        {
            var password = await console.Input.ReadLineAsync(ct) ?? throw new UsageException("no password on standard input (pipe it in, e.g. `echo \"$PASSWORD\" | posthorn user add ...`).");
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var account = await services.GetRequiredService<AccountRegistry>()
                .CreateAsync(parse.GetValue(name)!, parse.GetValue(email)!, password, parse.GetValue(admin), ct);
            await console.Output.WriteLineAsync($"created user {account.Username}{(account.IsSiteAdmin ? " (site admin)" : "")}");
            return ExitCodes.Ok;
        });
        return add;
    }

    private static Command ListVerb(CliConsole console)
    {
        var json = CliOutput.JsonOption();
        var list = new Command("list", "List users: name, e-mail, site admin, created") { json };
        list.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var accounts = await services.GetRequiredService<IAccountStore>().ListAccountsAsync(ct);
            if (parse.GetValue(json))
            {
                await CliOutput.WriteJsonAsync(console.Output, accounts.Select(a => new { a.Username, a.Email, SiteAdmin = a.IsSiteAdmin, a.CreatedAt }));
            }
            else
            {
                await CliOutput.WriteTableAsync(console.Output, ["USER", "E-MAIL", "ADMIN", "CREATED"],
                    accounts.Select(a => (IReadOnlyList<string>)[a.Username, a.Email, a.IsSiteAdmin ? "yes" : "no", CliOutput.Time(a.CreatedAt)]));
            }

            return ExitCodes.Ok;
        });
        return list;
    }
}
