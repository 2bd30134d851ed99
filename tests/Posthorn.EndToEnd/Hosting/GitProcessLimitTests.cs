using System.Net;
using System.Net.Sockets;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Hosting;

/// <summary>
/// Slow clients against the real server. Regression: each upload-pack POST started git at once and
/// kept it while the body trickled in, so a few hundred anonymous connections held a few hundred
/// git processes; and a slow push held the repository's receive lock for as long as it liked.
/// Clients are told apart by their loopback source address (127.0.0.2, 127.0.0.3, ...).
/// </summary>
public sealed class GitProcessLimitTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task SlowUploadPacks_BeyondTheCap_Get503WithRetryAfter_AndTheServerRecoversWhenTheyHangUp()
    {
        await using var site = await Site.StartAsync(env: new Dictionary<string, string>
        {
            ["Git__MaxConcurrentProcesses"] = "2",
            ["Git__MaxProcessesPerClient"] = "1",
            ["Git__ProcessQueueTimeout"] = "00:00:00.5",
            // The holders below send nothing after their first bytes; the rate check would cut them.
            ["Git__MinRequestBodyBytesPerSecond"] = "0",
        });
        await site.CreateRepositoryAsync("project");
        var work = await site.Git.InitWithCommitsAsync(Path.Combine(site.Folder.Path, "work"), "a.txt");
        await site.Git.RunAsync(work, "push", site.Url("project"), "main");
        var port = site.Server.Port;

        await using var holderA = await SlowGitRequest.StartAsync(port, "127.0.0.2", "/alice/project.git/git-upload-pack", "upload-pack");
        await holderA.SendAsync("0032want ");
        var ownShare = await PollUntilRefusedAsync(port, "127.0.0.2");
        Assert.Contains("from your address", ownShare.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await InfoRefsStatusAsync(port, "127.0.0.3"));

        await using var holderB = await SlowGitRequest.StartAsync(port, "127.0.0.3", "/alice/project.git/git-upload-pack", "upload-pack");
        await holderB.SendAsync("0032want ");
        var busy = await PollUntilRefusedAsync(port, "127.0.0.4");
        Assert.Contains("server is busy", busy.Body, StringComparison.Ordinal);

        // Everything that is not git is still served, and stock git shows the reason.
        Assert.True((await site.Server.Http.GetAsync("/readyz")).IsSuccessStatusCode);
        Assert.True((await site.ApiAsync(HttpMethod.Get, "/api/repos/alice/project")).IsSuccessStatusCode);
        var refused = await site.Git.TryRunAsync(site.Folder.Path, "ls-remote", site.Url("project", user: null));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("busy with other git requests", refused.Stderr, StringComparison.Ordinal);
        Assert.False(holderA.Ended || holderB.Ended);

        await holderA.DisposeAsync();
        await holderB.DisposeAsync();
        await PollUntilAsync(async () => await InfoRefsStatusAsync(port, "127.0.0.4") == HttpStatusCode.OK);
        var clone = Path.Combine(site.Folder.Path, "clone");
        await site.Git.RunAsync(site.Folder.Path, "clone", "-q", site.Url("project", user: null), clone);
        Assert.True(File.Exists(Path.Combine(clone, "a.txt")));
    }

    [Fact]
    public async Task TricklingUploadPackBody_BelowTheMinimumRate_IsCutOff()
    {
        // Kestrel's own floor is 240 B/s; this client sends ~5 KB/s, far below the configured 100 KB/s.
        await using var site = await Site.StartAsync(env: new Dictionary<string, string>
        {
            ["Git__MinRequestBodyBytesPerSecond"] = "100000",
            ["Git__MinRequestBodyGracePeriod"] = "00:00:02",
        });
        await site.CreateRepositoryAsync("project");
        var work = await site.Git.InitWithCommitsAsync(Path.Combine(site.Folder.Path, "work"), "a.txt");
        await site.Git.RunAsync(work, "push", site.Url("project"), "main");
        var head = (await site.Git.RunAsync(work, "rev-parse", "HEAD")).Trim();

        await using var trickler = await SlowGitRequest.StartAsync(site.Server.Port, "127.0.0.2", "/alice/project.git/git-upload-pack", "upload-pack");
        var burst = string.Concat(Enumerable.Repeat(SlowGitRequest.PktLine($"want {head}\n"), 20));

        Assert.True(await trickler.TrickleUntilCutAsync(burst, TimeSpan.FromMilliseconds(200), Deadline), "the server never cut the trickling client off");
    }

    [Fact]
    public async Task TricklingPush_LongerThanMaxReceiveDuration_IsCut_AndReleasesTheRepositoryForTheNextPush()
    {
        await using var site = await Site.StartAsync(env: new Dictionary<string, string>
        {
            ["Git__MaxReceiveDuration"] = "00:00:03",
            // Only the duration limit is under test: the trickler would otherwise also trip the rate check.
            ["Git__MinRequestBodyBytesPerSecond"] = "0",
        });
        await site.CreateRepositoryAsync("project");
        var work = await site.Git.InitWithCommitsAsync(Path.Combine(site.Folder.Path, "work"), "a.txt");
        var authorization = PosthornServer.Basic("alice", Site.Password).ToString();

        await using var trickler = await SlowGitRequest.StartAsync(site.Server.Port, "127.0.0.2", "/alice/project.git/git-receive-pack", "receive-pack", authorization);
        var zero = new string('0', 40);
        var first = SlowGitRequest.PktLine($"{zero} {new string('1', 40)} refs/heads/t0\0report-status\n");
        Assert.True(await trickler.SendAsync(first));
        var line = SlowGitRequest.PktLine($"{zero} {new string('1', 40)} refs/heads/trickle\n");

        Assert.True(await trickler.TrickleUntilCutAsync(line, TimeSpan.FromMilliseconds(100), Deadline), "the slow push was never cut off");

        // The lock is free again. The next push has the same short limit, which a machine loaded by
        // other tests can exceed on its own: a few tries, each a whole push that must not find the lock held.
        ProcessResult pushed = null!;
        for (var attempt = 0; attempt < 5 && pushed?.ExitCode is not 0; attempt++)
        {
            pushed = await site.Git.TryRunAsync(work, "push", site.Url("project", "carol"), "main");
            Assert.DoesNotContain("busy with another push", pushed.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(0, pushed.ExitCode);
        var refs = await site.Git.RunAsync(site.Folder.Path, "ls-remote", site.Url("project"));
        Assert.Contains("refs/heads/main", refs, StringComparison.Ordinal);
        Assert.DoesNotContain("trickle", refs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushWaitingBehindASlowPush_GivesUpAfterReceiveLockTimeout_AndSucceedsOnceItHangsUp()
    {
        await using var site = await Site.StartAsync(env: new Dictionary<string, string>
        {
            ["Git__ReceiveLockTimeout"] = "00:00:01",
            ["Git__MinRequestBodyBytesPerSecond"] = "0",
        });
        await site.CreateRepositoryAsync("project");
        var work = await site.Git.InitWithCommitsAsync(Path.Combine(site.Folder.Path, "work"), "a.txt");
        var authorization = PosthornServer.Basic("alice", Site.Password).ToString();
        var zero = new string('0', 40);

        var holder = await SlowGitRequest.StartAsync(site.Server.Port, "127.0.0.2", "/alice/project.git/git-receive-pack", "receive-pack", authorization);
        Assert.True(await holder.SendAsync(SlowGitRequest.PktLine($"{zero} {new string('1', 40)} refs/heads/held\0report-status\n")));

        // The holder may not have the lock yet when the first push arrives: retry (a new ref each
        // time, so every try really posts to receive-pack) until one is refused.
        var refused = false;
        for (var i = 0; i < 30 && !refused; i++)
        {
            refused = (await site.Git.TryRunAsync(work, "push", site.Url("project", "carol"), $"main:refs/heads/try{i}")).ExitCode != 0;
        }

        Assert.True(refused, "a push behind a held receive lock was never refused");
        Assert.False(holder.Ended);
        await holder.DisposeAsync();
        var pushed = false;
        for (var i = 0; i < 30 && !pushed; i++)
        {
            pushed = (await site.Git.TryRunAsync(work, "push", site.Url("project", "carol"), "main")).ExitCode == 0;
        }

        Assert.True(pushed, "the push never succeeded after the holder hung up");
    }

    private static async Task<(HttpStatusCode Status, string Body)> PollUntilRefusedAsync(int port, string localAddress)
    {
        (HttpStatusCode, string) last = default;
        await PollUntilAsync(async () =>
        {
            using var client = ClientFrom(localAddress, port);
            using var response = await client.GetAsync("/alice/project.git/info/refs?service=git-upload-pack");
            last = (response.StatusCode, await response.Content.ReadAsStringAsync());
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                return false;
            }

            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            return true;
        });
        return last;
    }

    private static async Task<HttpStatusCode> InfoRefsStatusAsync(int port, string localAddress)
    {
        using var client = ClientFrom(localAddress, port);
        using var response = await client.GetAsync("/alice/project.git/info/refs?service=git-upload-pack");
        return response.StatusCode;
    }

    private static async Task PollUntilAsync(Func<Task<bool>> condition)
    {
        var end = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < end, "condition not reached before the deadline");
            await Task.Delay(100);
        }
    }

    /// <summary>An HttpClient whose connections leave from <paramref name="localAddress"/>.</summary>
    private static HttpClient ClientFrom(string localAddress, int port)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }
}
