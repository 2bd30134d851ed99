using Posthorn.Cli;

namespace Posthorn.Tests.Cli;

/// <summary>The command line run in-process against a temporary data folder: exactly what a terminal would see, without starting a process per verb.</summary>
public sealed class CliRun : IDisposable
{
    public CliRun() => DataDirectory = Directory.CreateTempSubdirectory("posthorn-cli-").FullName;

    public string DataDirectory { get; }

    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string? stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync([.. args, "--data", DataDirectory], new StringReader(stdin ?? ""), output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>ann (site admin) with repository ann/tool.</summary>
    public async Task SeedAsync()
    {
        Assert.Equal(0, (await RunAsync("s3cret-password\n", "user", "add", "ann", "--email", "ann@example.com", "--admin")).ExitCode);
        Assert.Equal(0, (await RunAsync(null, "repo", "create", "ann/tool")).ExitCode);
    }

    public void Dispose() => Directory.Delete(DataDirectory, recursive: true);
}
