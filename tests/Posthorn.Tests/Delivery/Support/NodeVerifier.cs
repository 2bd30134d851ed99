using System.Diagnostics;
using System.Text.Json;

namespace Posthorn.Tests.Delivery.Support;

/// <summary>Runs the reference npm libraries in tests/verifiers (Standard Webhooks, GitHub) as independent receivers.</summary>
public static class NodeVerifier
{
    public static Task<(int ExitCode, string Error)> VerifyAsync(string id, long timestamp, string signature, byte[] body, string secret) =>
        RunAsync("verify.mjs", Path.Combine("node_modules", "standardwebhooks"), new { id, timestamp, signature, body = Convert.ToBase64String(body), secret });

    /// <summary>Runs tests/verifiers/verify-github.mjs: the npm "@octokit/webhooks-methods" verify() on X-Hub-Signature-256.</summary>
    public static Task<(int ExitCode, string Error)> VerifyGithubAsync(string signature, byte[] body, string secret) =>
        RunAsync("verify-github.mjs", Path.Combine("node_modules", "@octokit", "webhooks-methods"), new { signature, body = Convert.ToBase64String(body), secret });

    private static async Task<(int ExitCode, string Error)> RunAsync(string script, string package, object input)
    {
        var directory = FindVerifiers();
        Assert.True(Directory.Exists(Path.Combine(directory, package)), $"run `npm ci` in {directory} first");
        var start = new ProcessStartInfo("node", script)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(input));
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await error);
    }

    private static string FindVerifiers()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "verifiers");
            if (File.Exists(Path.Combine(candidate, "verify.mjs")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/verifiers not found above " + AppContext.BaseDirectory);
    }
}
