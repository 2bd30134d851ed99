using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Soak;

/// <summary>
/// One soak pusher: its own clone, its own branches and tags (p{n}-...), committing and pushing in a
/// loop with real `git push` — mostly commits, some new branches, tags, force pushes and deletions.
/// A push that fails (the server was killed) is retried once the server runs again.
/// </summary>
public sealed class Pusher(int number, GitCli git, string work, ServerKills kills, int seed)
{
    private const int MaxAttempts = 6;

    private readonly Random random = new(seed);
    private readonly List<ClientPush> pushes = [];
    private readonly List<string> branches = [];
    private string current = "";
    private bool headPushed;
    private int counter;

    public IReadOnlyList<ClientPush> Pushes => pushes;

    /// <summary>Number of `git push` commands run (attempts, retries included).</summary>
    public int GitPushRuns { get; private set; }

    public static async Task<Pusher> CloneAsync(int number, GitCli git, string url, string folder, ServerKills kills, int seed)
    {
        var work = Path.Combine(folder, $"pusher-{number}");
        await git.RunAsync(folder, "clone", "-q", url, work);
        return new Pusher(number, git, work, kills, seed);
    }

    public async Task RunAsync(DateTime until, int maxPushes)
    {
        await NewBranchAsync();
        while (DateTime.UtcNow < until && pushes.Count < maxPushes)
        {
            var roll = random.Next(100);
            var deletable = branches.Where(b => b != current).ToList();
            if (roll < 12)
            {
                await NewBranchAsync();
            }
            else if (roll < 24 && headPushed)
            {
                await TagAsync();
            }
            else if (roll < 34)
            {
                await ForcePushAsync();
            }
            else if (roll < 42 && deletable.Count > 0)
            {
                await DeleteAsync(deletable[random.Next(deletable.Count)]);
            }
            else
            {
                await CommitAndPushAsync("commit");
            }
        }
    }

    private async Task NewBranchAsync()
    {
        current = $"p{number}-b{counter++}";
        await git.RunAsync(work, "checkout", "-q", "-b", current);
        branches.Add(current);
        await CommitAndPushAsync("branch");
    }

    private async Task ForcePushAsync()
    {
        // Replace the branch's last commit: the old one becomes unreachable unless a tag holds it.
        await git.RunAsync(work, "reset", "-q", "--hard", "HEAD~1");
        await CommitAndPushAsync("force");
    }

    private async Task CommitAndPushAsync(string kind)
    {
        var n = counter++;
        var id = await git.CommitFileAsync(work, $"p{number}/f{n}.txt", $"pusher {number} change {n} {Guid.NewGuid():N}\n", $"Pusher {number} change {n}");
        headPushed = await PushAsync(kind, $"refs/heads/{current}", id, $"+HEAD:refs/heads/{current}") != ClientOutcome.GaveUp;
    }

    private async Task TagAsync()
    {
        var tag = $"p{number}-t{counter++}";
        string[] args = random.Next(2) == 0 ? ["tag", tag] : ["tag", "-a", "-m", $"Tag {tag}", tag];
        await git.RunAsync(work, args);
        var id = (await git.RunAsync(work, "rev-parse", $"refs/tags/{tag}")).Trim();
        await PushAsync("tag", $"refs/tags/{tag}", id, $"refs/tags/{tag}:refs/tags/{tag}");
    }

    private async Task DeleteAsync(string branch)
    {
        await git.RunAsync(work, "branch", "-q", "-D", branch);
        branches.Remove(branch);
        await PushAsync("delete", $"refs/heads/{branch}", null, $":refs/heads/{branch}");
    }

    private async Task<ClientOutcome> PushAsync(string kind, string refName, string? newId, string refspec)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                // Back off a little in case the failure was not a kill (the server is up again at once).
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }

            await kills.WhenRunningAsync().WaitAsync(TimeSpan.FromMinutes(3));
            GitPushRuns++;
            var result = await git.TryRunAsync(work, "push", "--porcelain", "origin", refspec);
            var line = result.Stdout.Split('\n').FirstOrDefault(l => l.Length > 1 && l[1] == '\t' && l.Contains(refName, StringComparison.Ordinal)) ?? "";
            ClientOutcome? outcome = (result.ExitCode, line.FirstOrDefault()) switch
            {
                (0, ' ' or '+' or '*' or '-') => ClientOutcome.Applied,
                (0, '=') => attempt == 1 ? ClientOutcome.Applied : ClientOutcome.AppliedByFailedAttempt,
                _ when newId is null && attempt > 1 && await IsGoneAsync(refName) => ClientOutcome.AppliedByFailedAttempt,
                _ => null,
            };
            if (outcome is { } done)
            {
                pushes.Add(new ClientPush(number, kind, refName, newId, attempt, done));
                return done;
            }
        }

        pushes.Add(new ClientPush(number, kind, refName, newId, MaxAttempts, ClientOutcome.GaveUp));
        return ClientOutcome.GaveUp;
    }

    private async Task<bool> IsGoneAsync(string refName)
    {
        var result = await git.TryRunAsync(work, "ls-remote", "origin", refName);
        return result.ExitCode == 0 && result.Stdout.Trim().Length == 0;
    }
}
