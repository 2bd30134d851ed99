using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Posthorn.Git;
using Posthorn.Git.Processes;

namespace Posthorn.Tests.Git;

/// <summary>
/// git and hg run below the server's priority, so that a machine full of pushes still announces them
/// promptly. The probe is a shell that waits for a line on stdin (written only after the runner set
/// the priority), then starts coreutils' <c>nice</c>, which prints the niceness it inherited: the same
/// path index-pack and pack-objects take when git forks them.
/// </summary>
public sealed class GitProcessPriorityTests
{
    [Fact]
    public async Task The_default_runs_children_at_nice_ten_or_lower_priority()
    {
        var inherited = await NicenessUnderAsync(ProcessPriorityClass.Normal);

        var lowered = await NicenessUnderAsync(new GitOptions().ProcessPriority);

        // A runner that is itself niced past 10 cannot raise its children back up; they keep its value.
        Assert.Equal(Math.Max(inherited, 10), lowered);
    }

    [Fact]
    public async Task Idle_runs_children_at_nice_nineteen()
    {
        Assert.Equal(19, await NicenessUnderAsync(ProcessPriorityClass.Idle));
    }

    [Fact]
    public async Task Normal_leaves_children_at_the_servers_own_niceness()
    {
        var own = await NicenessOf(Process.GetCurrentProcess().Id);

        Assert.Equal(own, await NicenessUnderAsync(ProcessPriorityClass.Normal));
    }

    [Theory]
    [InlineData(ProcessPriorityClass.AboveNormal)]
    [InlineData(ProcessPriorityClass.High)]
    [InlineData(ProcessPriorityClass.RealTime)]
    public void Priorities_above_the_servers_are_refused_at_start(ProcessPriorityClass priority)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new GitOptions { ProcessPriority = priority }.Validate());

        Assert.Contains("Git:ProcessPriority", error.Message, StringComparison.Ordinal);
    }

    private static async Task<int> NicenessUnderAsync(ProcessPriorityClass priority)
    {
        var runner = new GitRunner(Options.Create(new GitOptions { ProcessPriority = priority }), NullLogger<GitRunner>.Instance);
        var output = new MemoryStream();
        var result = await runner.RunAsync(
            new GitInvocation(["-c", "read line; nice"])
            {
                Program = "/bin/sh",
                Stdin = (stdin, ct) => stdin.WriteAsync("go\n"u8.ToArray(), ct).AsTask(),
                Stdout = (stdout, ct) => stdout.CopyToAsync(output, ct),
            },
            CancellationToken.None);

        Assert.True(result.Succeeded, result.StderrTail);
        return int.Parse(Encoding.ASCII.GetString(output.ToArray()).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    // Field 19 of /proc/<pid>/stat; the command name before it is in parentheses and may hold spaces.
    private static async Task<int> NicenessOf(int pid)
    {
        var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }
}
