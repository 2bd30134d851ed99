using System.Diagnostics;
using Posthorn.EndToEnd.PostService;
using Posthorn.EndToEnd.Support;
using Xunit.Abstractions;

namespace Posthorn.EndToEnd.Mercurial;

/// <summary>Push → POST latency for hg beside git on the same server, and the payload of a three-changeset hg push (run with POSTHORN_MEASURE=1).</summary>
public sealed class MercurialLatencyTests(ITestOutputHelper output)
{
    [MeasurementFact]
    public async Task PushToPostLatency_HgBesideGit_IsMeasured()
    {
        const int pushes = 8;
        await using var site = await Site.StartAsync();
        await using var receiver = await Receiver.StartAsync();
        var hg = new HgCli(site.Folder.Sub("hg-home"));
        await site.CreateRepositoryAsync("hgl", scm: "hg");
        await site.CreateRepositoryAsync("gitl");
        await Hook.AddAsync(site, "hgl", receiver.Url + "/hg");
        await Hook.AddAsync(site, "gitl", receiver.Url + "/git");
        var hgWork = Path.Combine(site.Folder.Path, "hg-work");
        await hg.RunAsync(site.Folder.Path, "clone", HgCli.Url(site, "hgl"), hgWork);
        var gitWork = await site.Git.InitWithCommitsAsync(Path.Combine(site.Folder.Path, "git-work"), "README");

        // Three changesets in one push: the payload shown in the report.
        for (var i = 1; i <= 3; i++)
        {
            await hg.CommitFileAsync(hgWork, $"file{i}.txt", $"{i}\n", $"Changeset {i}");
        }

        await hg.RunAsync(hgWork, "push", HgCli.Url(site, "hgl"));
        var three = (await receiver.WaitForAsync(r => r.PathAndQuery == "/hg", 1, TimeSpan.FromSeconds(60)))[0];
        Assert.Equal(3, ReceivedPayload.Of(three).GetProperty("commits").GetArrayLength());
        output.WriteLine("three-changeset hg push payload: " + ReceivedPayload.Of(three).GetRawText());
        await site.Git.RunAsync(gitWork, "push", site.Url("gitl"), "main");
        await receiver.WaitForAsync(2, TimeSpan.FromSeconds(60));

        var hgTimes = new List<double>();
        var gitTimes = new List<double>();
        for (var i = 0; i < pushes; i++)
        {
            await hg.CommitFileAsync(hgWork, "f", i + "\n", "hg " + i);
            var started = Stopwatch.GetTimestamp();
            await hg.RunAsync(hgWork, "push", HgCli.Url(site, "hgl"));
            hgTimes.Add(Stopwatch.GetElapsedTime(started, (await receiver.WaitForAsync(3 + (2 * i), TimeSpan.FromSeconds(60)))[2 + (2 * i)].ReceivedTicks).TotalMilliseconds);

            await site.Git.CommitFileAsync(gitWork, "f", i + "\n", "git " + i);
            started = Stopwatch.GetTimestamp();
            await site.Git.RunAsync(gitWork, "push", site.Url("gitl"), "main");
            gitTimes.Add(Stopwatch.GetElapsedTime(started, (await receiver.WaitForAsync(4 + (2 * i), TimeSpan.FromSeconds(60)))[3 + (2 * i)].ReceivedTicks).TotalMilliseconds);
        }

        Assert.Equal(pushes + 1, receiver.Requests.Count(r => r.PathAndQuery == "/hg"));
        Assert.Equal(pushes + 1, receiver.Requests.Count(r => r.PathAndQuery == "/git"));
        output.WriteLine($"hg push started → POST received over {pushes} pushes: p50 {Median(hgTimes):0} ms, min {hgTimes.Min():0} ms, max {hgTimes.Max():0} ms");
        output.WriteLine($"git push started → POST received over {pushes} pushes: p50 {Median(gitTimes):0} ms, min {gitTimes.Min():0} ms, max {gitTimes.Max():0} ms");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
