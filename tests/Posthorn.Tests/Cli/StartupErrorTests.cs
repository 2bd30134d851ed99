using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Posthorn.Cli;
using Posthorn.Delivery;

namespace Posthorn.Tests.Cli;

/// <summary>Start-up and configuration mistakes: one line saying what to do, no stack trace, no .NET type name.</summary>
public sealed class StartupErrorTests : IDisposable
{
    private readonly CliRun cli = new();

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task NonNumericId_IsNamedInWords()
    {
        var result = await cli.RunAsync(null, "service", "remove", "ann/tool", "abc");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("posthorn: id must be a service number like 3, not 'abc'.", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingArguments_AreNamedOnceOnOneLine()
    {
        var result = await cli.RunAsync(null, "service", "add");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("posthorn: missing <owner/slug> and <url>; usage: posthorn service add <owner/slug> <url>", lines[0]);
        Assert.Equal(2, lines.Length); // that line and the pointer to --help
    }

    [Fact]
    public async Task DataFolderThatIsAFile_NamesTheOption()
    {
        var file = Path.Combine(cli.DataDirectory, "not-a-folder");
        await File.WriteAllTextAsync(file, "");
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await CliApp.RunAsync(["repo", "list", "--data", file], new StringReader(""), output, error);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"posthorn: --data {file} is a file; give a folder (it is created when missing).", error.ToString().Trim());
    }

    [Fact]
    public async Task MalformedDatabaseString_NamesTheOptionAndNotThePassword()
    {
        var result = await cli.RunAsync(null, "repo", "list", "--database", "Host=db;Password=hunter2;;=oops");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("posthorn: --database is not a PostgreSQL connection string", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("ArgumentException", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortInUse_IsOneLineAndNothingStarts()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await cli.RunAsync(null, "serve", "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal($"posthorn: http://127.0.0.1:{port}: port {port} is already in use (another posthorn or program listens there); stop it or choose another port with --urls.", result.Stderr.Split('\n')[0]);
        // The check runs before the app is built: no storage was opened, so the dispatcher cannot have started.
        Assert.False(File.Exists(Path.Combine(cli.DataDirectory, "posthorn.db")));
    }

    [Theory]
    [InlineData("Delivery__AttemptTimeout", "abc", "posthorn: configuration: Delivery:AttemptTimeout = 'abc' is not a valid duration (hh:mm:ss, e.g. 00:00:30); fix or unset Delivery__AttemptTimeout.")]
    [InlineData("Delivery__PauseAfterFailures", "0", "posthorn: configuration: Delivery:PauseAfterFailures must be between 1 and 1000.")]
    public void BadOptionValue_IsOneLineNamingTheSetting(string variable, string value, string expectedStart)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [variable.Replace("__", ":", StringComparison.Ordinal)] = value }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPostDelivery(config);
        using var provider = services.BuildServiceProvider();

        var thrown = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var line = "posthorn: " + ProblemLine.Describe(thrown);
        Assert.StartsWith(expectedStart, line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080", true)]
    [InlineData("http://*:8080", true)]
    [InlineData("http://+:8080", true)]
    [InlineData("http://[::]:8080", true)]
    [InlineData("http://127.0.0.1:8080", false)]
    [InlineData("https://git.example.com", false)]
    public void Wildcards_AreRecognisedAndNeverPublished(string url, bool wildcard)
    {
        Assert.Equal(wildcard, ListenAddresses.IsWildcard(url));
        Assert.DoesNotContain("0.0.0.0", ListenAddresses.WithHost(url, "gitbox"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WildcardPublicUrl_IsRefused()
    {
        var result = await cli.RunAsync(null, "serve", "--urls", "http://127.0.0.1:0", "--public-url", "http://0.0.0.0:8080");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--public-url", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TakenUsernameAndTakenEmail_HaveTheirOwnMessages()
    {
        await cli.RunAsync("s3cret-password\n", "user", "add", "ann", "--email", "ann@example.com");

        var sameName = await cli.RunAsync("s3cret-password\n", "user", "add", "ann", "--email", "other@example.com");
        var sameEmail = await cli.RunAsync("s3cret-password\n", "user", "add", "bob", "--email", "ANN@example.com");

        Assert.Equal("posthorn: The username 'ann' is taken; choose another.", sameName.Stderr.Trim());
        Assert.Equal("posthorn: The e-mail address ANN@example.com already belongs to another account.", sameEmail.Stderr.Trim());
    }
}
