using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Posthorn.EndToEnd.Support;
using Xunit.Abstractions;

namespace Posthorn.EndToEnd.PostService;

/// <summary>A server of its own (default payload caps), so its peak memory is this class's pushes' alone.</summary>
public sealed class LargePushSites : SiteFixture
{
    public Receiver Receiver { get; private set; } = null!;

    protected override IDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["Delivery__RetrySchedule__0"] = "00:00:00.200",
        ["Delivery__Jitter"] = "0",
    };

    public override async Task InitializeAsync() => Receiver = await Receiver.StartAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary>
/// Pushes git accepts but that used to break the payload: huge commit messages (the server's memory,
/// the stored payload and the POST body grew with them) and commits with dates or author lines
/// outside what a DateTimeOffset holds (the builder threw and the push was refused for ever).
/// </summary>
public sealed class LargePushTests(LargePushSites sites, ITestOutputHelper output) : IClassFixture<LargePushSites>
{
    private const int DefaultMaxBytes = 256 * 1024;
    private const int DefaultMaxMessageBytes = 64 * 1024;
    private const int MessageBytes = 4 * 1024 * 1024;
    private const int CommitCount = 50;

    [Fact]
    public async Task FiftyCommitsWithFourMebibyteMessages_PostIsCappedAtMaxBytes_MessagesCutAndFlagged_MemoryFlat()
    {
        var site = await sites.SiteAsync();
        var slug = "huge-messages";
        var work = await Repos.CreateAsync(site, slug);
        await Hook.AddAsync(site, slug, $"{sites.Receiver.Url}/{slug}");
        await site.Git.RunAsync(work, "commit", "-q", "--allow-empty", "-m", "base");
        var tip = (await site.Git.RunAsync(work, "rev-parse", "HEAD")).Trim();
        var tree = (await site.Git.RunAsync(work, "rev-parse", "HEAD^{tree}")).Trim();

        // Compressible text: the pack stays small, so what the server holds is the payload path's doing.
        var body = new StringBuilder();
        while (body.Length < MessageBytes)
        {
            body.Append("Zoë wrote this line of a very long commit message, again and again.\n");
        }

        var messageFile = Path.Combine(site.Folder.Path, "huge-message");
        for (var i = 0; i < CommitCount; i++)
        {
            await File.WriteAllTextAsync(messageFile, $"Commit {i}\n\n{body}");
            tip = (await site.Git.RunAsync(work, "commit-tree", tree, "-p", tip, "-F", messageFile)).Trim();
        }

        await site.Git.RunAsync(work, "update-ref", "refs/heads/main", tip);
        var databaseBefore = DatabaseBytes(site);
        var peakBefore = site.Server.PeakMemoryBytes();

        await site.Git.RunAsync(work, "push", "-q", site.Url(slug), "main");
        var request = (await sites.Receiver.WaitForAsync(r => r.PathAndQuery == "/" + slug, 1, TimeSpan.FromMinutes(3))).Single();

        var peakAfter = site.Server.PeakMemoryBytes();
        var stored = StoredPayloadBytes(site, slug);
        output.WriteLine($"huge-message push: server VmHWM {peakBefore / 1048576} MiB → {peakAfter / 1048576} MiB; stored payload {stored} bytes; " +
            $"database {databaseBefore} → {DatabaseBytes(site)} bytes; POST body {request.Body.Length} bytes");
        Assert.True(request.Body.Length <= DefaultMaxBytes, $"POST body {request.Body.Length} bytes > {DefaultMaxBytes}");
        Assert.True(stored <= DefaultMaxBytes, $"stored payload {stored} bytes > {DefaultMaxBytes}");
        var payload = ReceivedPayload.Of(request);
        Assert.Equal(CommitCount + 1, payload.GetProperty("commit_count").GetInt32());
        Assert.True(payload.GetProperty("truncated").GetBoolean());
        var commits = payload.GetProperty("commits").EnumerateArray().ToList();
        Assert.NotEmpty(commits);
        Assert.True(commits.Count < CommitCount);
        Assert.Equal($"Commit {CommitCount - 1}", commits[^1].GetProperty("message").GetString()!.Split('\n')[0]);
        foreach (var commit in commits)
        {
            Assert.True(commit.GetProperty("message_truncated").GetBoolean());
            var message = commit.GetProperty("message").GetString()!;
            Assert.InRange(Encoding.UTF8.GetByteCount(message), DefaultMaxMessageBytes - 4, DefaultMaxMessageBytes);
            Assert.DoesNotContain('\uFFFD', message);
        }

        // The push carried 200 MiB of message text; holding it (or its JSON) would take far more than this.
        Assert.True(peakAfter - peakBefore < 128L * 1024 * 1024, $"server peak memory grew {(peakAfter - peakBefore) / 1048576} MiB");
    }

    [Fact]
    public async Task CommitWithDateAndZoneGitAcceptsButNoDateTimeHolds_IsAcceptedAndDelivered()
    {
        var site = await sites.SiteAsync();
        var slug = "odd-dates";
        var work = await Repos.CreateAsync(site, slug);
        await Hook.AddAsync(site, slug, $"{sites.Receiver.Url}/{slug}");
        await site.Git.RunAsync(work, "commit", "-q", "--allow-empty", "-m", "base");
        var parent = (await site.Git.RunAsync(work, "rev-parse", "HEAD")).Trim();
        var tree = (await site.Git.RunAsync(work, "rev-parse", "HEAD^{tree}")).Trim();
        var last = parent;
        foreach (var author in (string[])["Far Future <ff@example.com> 253402300800 +9999", "Overflow <o@example.com> 99999999999999999999999 +0000", "Huge Zone <z@example.com> 1338350336 +99999999"])
        {
            var raw = Path.Combine(site.Folder.Path, "raw-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllTextAsync(raw, $"tree {tree}\nparent {last}\nauthor {author}\ncommitter C <c@example.com> 1338350336 +0200\n\nodd date\n");
            last = (await site.Git.RunAsync(work, "hash-object", "-t", "commit", "-w", "--literally", raw)).Trim();
        }

        await site.Git.RunAsync(work, "update-ref", "refs/heads/main", last);

        await site.Git.RunAsync(work, "push", "-q", site.Url(slug), "main");

        var payload = ReceivedPayload.Of((await sites.Receiver.WaitForAsync(r => r.PathAndQuery == "/" + slug, 1)).Single());
        var commits = payload.GetProperty("commits").EnumerateArray().ToList();
        Assert.Equal(4, commits.Count);
        Assert.Equal(last, commits[^1].GetProperty("raw_node").GetString());
        Assert.Equal("10000-01-05 04:39:00", commits[1].GetProperty("timestamp").GetString());
        Assert.Equal("253402300800 +9999", commits[1].GetProperty("raw_timestamp").GetString());
        Assert.Equal("99999999999999999999999 +0000", commits[2].GetProperty("raw_timestamp").GetString());
        Assert.Equal("1338350336 +99999999", commits[3].GetProperty("raw_timestamp").GetString());
        Assert.Equal("2012-05-30 03:58:56+00:00", commits[3].GetProperty("utctimestamp").GetString());
    }

    private static long DatabaseBytes(Site site) =>
        Directory.EnumerateFiles(site.Server.DataDirectory, PosthornDatabase + "*").Sum(f => new FileInfo(f).Length);

    private const string PosthornDatabase = "posthorn.db";

    private static long StoredPayloadBytes(Site site, string slug)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(site.Server.DataDirectory, PosthornDatabase)};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT length(CAST(p.payload AS BLOB)) FROM pushes p JOIN repositories r ON r.id = p.repository_id WHERE r.slug = $slug ORDER BY p.id DESC LIMIT 1";
        command.Parameters.AddWithValue("$slug", slug);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
