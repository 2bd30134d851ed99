using System.Diagnostics;

namespace Posthorn.Tests.Storage;

/// <summary>
/// The PostgreSQL server the tests use: POSTHORN_TEST_POSTGRES when set (a connection string to a
/// running server, e.g. from the test script's scripts/pg-temp), else one throwaway cluster started
/// with scripts/pg-temp for this test run and stopped when the process exits.
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "POSTHORN_TEST_POSTGRES";

    private static readonly Lazy<string> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A connection string to the server's maintenance database.</summary>
    public static string ConnectionString => Server.Value;

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        var script = Path.Combine(SourceTree.Root, "scripts", "pg-temp");
        // Directly under /tmp: the postgres user must be able to traverse every parent directory.
        var directory = Path.Combine("/tmp", "posthorn-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var connectionString = Run(script, "start", directory).Trim();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Run(script, "stop", directory);
        return connectionString;
    }

    private static string Run(string script, string verb, string directory)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", [script, verb, directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? stdout
            : throw new InvalidOperationException($"scripts/pg-temp {verb} failed ({process.ExitCode}): {stderr.Result}");
    }
}
