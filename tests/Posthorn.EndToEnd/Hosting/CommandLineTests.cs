using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Hosting;

/// <summary>The verbs through the real executable: exit codes 0 / 1 (failure) / 2 (usage), one-line errors, secrets never on argv.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PosthornServer cli;

    public CommandLineTests() => cli = new PosthornServer(folder.Sub("data"));

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task UserRepoGrantAndList_WorkAndReportWhatTheyDid()
    {
        Assert.Equal(0, (await cli.CliAsync("s3cret-password\n", "user", "add", "ann", "--email", "ann@example.com")).ExitCode);
        Assert.Equal(0, (await cli.CliAsync("s3cret-password\n", "user", "add", "ben", "--email", "ben@example.com")).ExitCode);
        var created = await cli.CliAsync(null, "repo", "create", "ann/tool", "--private", "--name", "The Tool", "--website", "https://example.com/");
        var granted = await cli.CliAsync(null, "repo", "grant", "ann/tool", "ben", "write");
        var listed = await cli.CliAsync(null, "repo", "list");

        Assert.Equal(0, created.ExitCode);
        Assert.Equal(0, granted.ExitCode);
        Assert.Equal(["REPOSITORY  VISIBILITY  NAME", "ann/tool    private     The Tool"], listed.Stdout.TrimEnd().Split('\n'));
        Assert.True(Directory.Exists(Path.Combine(cli.DataDirectory, "repositories", "ann", "tool.git")));
    }

    [Fact]
    public async Task TokenCreate_PrintsTokenOnceAndStoresOnlyItsHash()
    {
        await cli.CliAsync("s3cret-password\n", "user", "add", "ann", "--email", "ann@example.com");
        var result = await cli.CliAsync(null, "token", "create", "ann");

        var token = result.Stdout.Trim();
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("ph_", token, StringComparison.Ordinal);
        // The WAL holds recent writes, so read every file of the database, not just the main one.
        foreach (var file in Directory.GetFiles(cli.DataDirectory, "posthorn.db*"))
        {
            Assert.DoesNotContain(token, System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(2, "repo", "create", "not-a-full-name")]
    [InlineData(2, "repo", "grant", "ann/x", "ben", "superuser")]
    [InlineData(2, "frobnicate")]
    [InlineData(2, "user", "add", "ann")]
    [InlineData(1, "repo", "create", "nobody/thing")]
    [InlineData(1, "token", "create", "nobody")]
    [InlineData(1, "service", "add", "nobody/thing", "https://example.com/")]
    public async Task BadInvocations_ExitWithTheRightCodeAndOneLineOnStderr(int expected, params string[] args)
    {
        var result = await cli.CliAsync(null, args);

        Assert.Equal(expected, result.ExitCode);
        Assert.StartsWith("posthorn: ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserAdd_WithoutPasswordOnStdin_IsUsageError()
    {
        var result = await cli.CliAsync("", "user", "add", "ann", "--email", "ann@example.com");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("standard input", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicateUser_IsAFailureNotACrash()
    {
        await cli.CliAsync("s3cret-password\n", "user", "add", "ann", "--email", "ann@example.com");
        var again = await cli.CliAsync("s3cret-password\n", "user", "add", "ann", "--email", "other@example.com");

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("ann", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceAddListRemove_MasksCredentials()
    {
        await cli.CliAsync("s3cret-password\n", "user", "add", "ann", "--email", "ann@example.com");
        await cli.CliAsync(null, "repo", "create", "ann/tool");
        var added = await cli.CliAsync(null, "service", "add", "ann/tool", "https://jenkins:hunter2hunter2@ci.example.com/hook", "--format", "json");
        var listed = await cli.CliAsync(null, "service", "list", "ann/tool");
        var id = added.Stdout.Split('\t')[0];
        var removed = await cli.CliAsync(null, "service", "remove", "ann/tool", id);
        var badFormat = await cli.CliAsync(null, "service", "add", "ann/tool", "https://ci.example.com/", "--format", "xml");

        Assert.Equal(0, added.ExitCode);
        Assert.DoesNotContain("hunter2", added.Stdout + listed.Stdout, StringComparison.Ordinal);
        Assert.Contains("jenkins:***@ci.example.com", listed.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, removed.ExitCode);
        Assert.Equal(2, badFormat.ExitCode); // a refused argument value is a usage error
        Assert.Contains("format", badFormat.Stderr, StringComparison.Ordinal);
    }

    // Regression: a placeholder in the host let a pushed branch name choose where credentials go.
    [Fact]
    public async Task ServiceAdd_PlaceholderInHost_IsAUsageErrorNamingTheUrl()
    {
        await cli.CliAsync("s3cret-password\n", "user", "add", "ann", "--email", "ann@example.com");
        await cli.CliAsync(null, "repo", "create", "ann/tool");

        var added = await cli.CliAsync(null, "service", "add", "ann/tool", "http://user:pw@${branch}:18504/");
        var listed = await cli.CliAsync(null, "service", "list", "ann/tool", "--json");

        Assert.Equal(2, added.ExitCode);
        Assert.StartsWith("posthorn: url: ", added.Stderr, StringComparison.Ordinal);
        Assert.Equal("[]", listed.Stdout.Trim());
    }
}
