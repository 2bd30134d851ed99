using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Web.Accounts;

namespace Posthorn.Cli;

/// <summary>posthorn user add NAME --email E [--admin]: the password comes from stdin, never argv (argv is visible to every process).</summary>
public static class UserCommand
{
    public static Command Create(CliConsole console)
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

        return new Command("user", "Manage user accounts") { add };
    }
}
