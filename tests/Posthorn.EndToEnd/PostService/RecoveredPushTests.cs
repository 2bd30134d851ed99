using System.Text.Json;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.PostService;

/// <summary>
/// Refs moved on the disk behind Posthorn's back (an operator's push into the bare repository) are
/// found by reconciliation, at start-up and periodically, and delivered as recovered pushes.
/// </summary>
public sealed class RecoveredPushTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task PushedOnDiskWhileStopped_AnnouncedAtStartUp_AsRecoveredWithUnknownPusher(string backend)
    {
        await using var site = await Site.StartAsync(backend);
        await using var receiver = await Receiver.StartAsync();
        var work = await Repos.CreateAsync(site, "disk");
        await Hook.AddAsync(site, "disk", receiver.Url + "/disk");
        await Repos.CommitAsync(site, work, "a.txt");
        await Repos.PushAsync(site, work, "disk", "main");
        await receiver.WaitForAsync(1);

        await site.Server.KillAsync();
        var hidden = await Repos.CommitAsync(site, work, "b.txt");
        await site.Git.RunAsync(work, "tag", "v1");
        await site.Git.RunAsync(work, "push", "-q", Bare(site, "disk"), "main", "v1");
        await site.Server.StartAsync();

        var recovered = ReceivedPayload.Of((await receiver.WaitForAsync(r => IsRecovered(r), 1, TimeSpan.FromSeconds(60)))[0]);
        Assert.Equal("", recovered.GetProperty("user").GetString());
        Assert.Equal([hidden], recovered.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("raw_node").GetString()));
        Assert.Equal(["refs/heads/main", "refs/tags/v1"], recovered.GetProperty("ref_changes").EnumerateArray().Select(c => c.GetProperty("ref").GetString()).Order());

        var pushes = (await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/disk/pushes")).GetProperty("pushes").EnumerateArray().ToList();
        Assert.Equal(2, pushes.Count);
        Assert.True(pushes[0].GetProperty("recovered").GetBoolean());
        Assert.Equal(JsonValueKind.Null, pushes[0].GetProperty("pusher").ValueKind);
        Assert.False(pushes[1].GetProperty("recovered").GetBoolean());
    }

    [Fact]
    public async Task PushedOnDiskWhileRunning_AnnouncedByThePeriodicPass()
    {
        await using var site = await Site.StartAsync("sqlite", new Dictionary<string, string> { ["Git__ReconcileInterval"] = "00:00:01" });
        await using var receiver = await Receiver.StartAsync();
        var work = await Repos.CreateAsync(site, "live");
        await Hook.AddAsync(site, "live", receiver.Url + "/live");
        await Repos.CommitAsync(site, work, "a.txt");
        await Repos.PushAsync(site, work, "live", "main");
        await receiver.WaitForAsync(1);

        var hidden = await Repos.CommitAsync(site, work, "b.txt");
        await site.Git.RunAsync(work, "push", "-q", Bare(site, "live"), "main");

        var recovered = ReceivedPayload.Of((await receiver.WaitForAsync(r => IsRecovered(r), 1, TimeSpan.FromSeconds(60)))[0]);
        Assert.Equal([hidden], recovered.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("raw_node").GetString()));
        // Announced once: later passes find nothing new.
        var next = await Repos.CommitAsync(site, work, "c.txt");
        await Repos.PushAsync(site, work, "live", "main");
        var normal = ReceivedPayload.Of((await receiver.WaitForAsync(r => !IsRecovered(r) && ReceivedPayload.Of(r).GetProperty("commits")[0].GetProperty("raw_node").GetString() == next, 1))[0]);
        Assert.Equal("alice", normal.GetProperty("user").GetString());
        Assert.Single(receiver.Requests, IsRecovered);
    }

    private static bool IsRecovered(ReceivedRequest request) =>
        ReceivedPayload.Of(request).TryGetProperty("recovered", out var flag) && flag.GetBoolean();

    private static string Bare(Site site, string slug) => Path.Combine(site.Server.DataDirectory, "repositories", "alice", slug + ".git");
}
