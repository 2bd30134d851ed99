using System.Text.Json;
using Posthorn.Cli;
using Posthorn.Core.Pushes;
using Posthorn.Storage;
using Posthorn.Tests.Delivery.Support;

namespace Posthorn.Tests.Cli;

/// <summary>The listing and operating verbs, in-process on a real SQLite data folder, pinging a real loopback receiver.</summary>
public sealed class VerbTests : IDisposable
{
    private readonly CliRun cli = new();

    public VerbTests() => Environment.SetEnvironmentVariable("POSTHORN_ALLOW_PRIVATE_TARGETS", null);

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task UserList_HasHeadersAndJson()
    {
        await cli.SeedAsync();

        var table = await cli.RunAsync(null, "user", "list");
        var json = await cli.RunAsync(null, "user", "list", "--json");

        Assert.Equal(["USER  E-MAIL           ADMIN  CREATED"], table.Stdout.Split('\n').Take(1));
        Assert.StartsWith("ann   ann@example.com  yes    ", table.Stdout.Split('\n')[1], StringComparison.Ordinal);
        var user = JsonDocument.Parse(json.Stdout).RootElement[0];
        Assert.Equal("ann", user.GetProperty("username").GetString());
        Assert.True(user.GetProperty("site_admin").GetBoolean());
    }

    [Fact]
    public async Task TokenListAndRevoke_ShowNeverTheTokenAndRevokeById()
    {
        await cli.SeedAsync();
        var secret = (await cli.RunAsync(null, "token", "create", "ann", "--label", "deploy")).Stdout.Trim();

        var listed = await cli.RunAsync(null, "token", "list", "ann", "--json");
        var id = JsonDocument.Parse(listed.Stdout).RootElement[0].GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var revoked = await cli.RunAsync(null, "token", "revoke", "ann", id);
        var again = await cli.RunAsync(null, "token", "revoke", "ann", id);
        var after = await cli.RunAsync(null, "token", "list", "ann");

        Assert.DoesNotContain(secret, listed.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"deploy\"", listed.Stdout, StringComparison.Ordinal);
        Assert.Equal((ExitCodes.Ok, $"revoked token {id} of ann"), (revoked.ExitCode, revoked.Stdout.Trim()));
        Assert.Equal(ExitCodes.Failure, again.ExitCode);
        Assert.Equal("ID  NAME  PREFIX  CREATED  LAST USED", after.Stdout.Trim());
    }

    [Fact]
    public async Task ServiceAdd_SameUrlTwice_IsRefusedUnlessAllowed()
    {
        await cli.SeedAsync();
        await cli.RunAsync(null, "service", "add", "ann/tool", "https://ci.example.com/hook");

        var twice = await cli.RunAsync(null, "service", "add", "ann/tool", "https://ci.example.com/hook");
        var allowed = await cli.RunAsync(null, "service", "add", "ann/tool", "https://ci.example.com/hook", "--allow-duplicate");

        Assert.Equal(ExitCodes.Failure, twice.ExitCode);
        Assert.Contains("--allow-duplicate", twice.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, allowed.ExitCode);
    }

    [Fact]
    public async Task ServiceAdd_LoopbackWithoutPrivateTargets_WarnsAtSaveTime()
    {
        await cli.SeedAsync();

        var added = await cli.RunAsync(null, "service", "add", "ann/tool", "http://127.0.0.1:9/hook");
        var id = added.Stdout.Split('\t')[0];
        var edited = await cli.RunAsync(null, "service", "edit", "ann/tool", id, "--url", "http://10.1.2.3/hook");
        var otherEdit = await cli.RunAsync(null, "service", "edit", "ann/tool", id, "--events", "push");

        Assert.Equal(ExitCodes.Ok, added.ExitCode);
        Assert.StartsWith("posthorn: warning: 127.0.0.1 is a loopback address and this server only POSTs to public addresses", added.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, edited.ExitCode);
        Assert.StartsWith("posthorn: warning: 10.1.2.3 is a private address", edited.Stderr, StringComparison.Ordinal);
        Assert.Equal("", otherEdit.Stderr); // the URL was not changed: nothing new to warn of
    }

    [Fact]
    public async Task ServiceShow_TellsEverySetting()
    {
        await cli.SeedAsync();
        var id = (await cli.RunAsync(null, "service", "add", "ann/tool", "https://ci.example.com/hook", "--format", "github", "--events", "push,pullrequest:fulfilled",
            "--branches", "main,release/*", "--secret", "0123456789abcdef", "--standard-webhooks", "--github-form")).Stdout.Split('\t')[0];

        var shown = (await cli.RunAsync(null, "service", "show", "ann/tool", id)).Stdout;

        Assert.Contains("events        push, pullrequest:fulfilled", shown, StringComparison.Ordinal);
        Assert.Contains("branches      main, release/*", shown, StringComparison.Ordinal);
        Assert.Contains("signatures    Standard Webhooks", shown, StringComparison.Ordinal);
        Assert.Contains("body          form (payload=)", shown, StringComparison.Ordinal);
        Assert.Contains("active        yes", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceTest_WritesItsPing_WithTheAddressTheServerPublished_NotTheDefault()
    {
        Environment.SetEnvironmentVariable("POSTHORN_ALLOW_PRIVATE_TARGETS", "1");
        try
        {
            await using var receiver = await LoopbackReceiver.StartAsync();
            await cli.SeedAsync();
            var id = (await cli.RunAsync(null, "service", "add", "ann/tool", receiver.Url.ToString())).Stdout.Split('\t')[0];

            await cli.RunAsync(null, "service", "test", "ann/tool", id);
            PublishedUrl.Record(cli.DataDirectory, "https://git.example.test:8443"); // what `serve --public-url` leaves
            await cli.RunAsync(null, "service", "test", "ann/tool", id);

            var canonUrls = receiver.Requests.Select(r => System.Web.HttpUtility.ParseQueryString(System.Text.Encoding.UTF8.GetString(r.Body))["payload"]!)
                .Select(p => JsonDocument.Parse(p).RootElement.GetProperty("canon_url").GetString()).ToList();
            Assert.Equal(["http://127.0.0.1:5080", "https://git.example.test:8443"], canonUrls);
        }
        finally
        {
            Environment.SetEnvironmentVariable("POSTHORN_ALLOW_PRIVATE_TARGETS", null);
        }
    }

    [Fact]
    public async Task ServiceTestShowEnableAndDeliveries_TellTheWholeStory()
    {
        Environment.SetEnvironmentVariable("POSTHORN_ALLOW_PRIVATE_TARGETS", "1");
        try
        {
            await using var receiver = await LoopbackReceiver.StartAsync();
            await cli.SeedAsync();
            var id = (await cli.RunAsync(null, "service", "add", "ann/tool", receiver.Url.ToString())).Stdout.Split('\t')[0];

            var tested = await cli.RunAsync(null, "service", "test", "ann/tool", id);
            var shown = await cli.RunAsync(null, "service", "show", "ann/tool", id);
            var listed = await cli.RunAsync(null, "service", "list", "ann/tool");
            var deliveries = await cli.RunAsync(null, "delivery", "list", "ann/tool", id, "--status", "succeeded", "--json");
            var deliveryId = JsonDocument.Parse(deliveries.Stdout).RootElement[0].GetProperty("id").GetString()!;
            var detail = await cli.RunAsync(null, "delivery", "show", "ann/tool", id, deliveryId);
            var redelivered = await cli.RunAsync(null, "delivery", "redeliver", "ann/tool", id, deliveryId);
            var pending = await cli.RunAsync(null, "delivery", "list", "ann/tool", id, "--status", "pending");
            var enabled = await cli.RunAsync(null, "service", "enable", "ann/tool", id);
            var badId = await cli.RunAsync(null, "delivery", "show", "ann/tool", id, "nope");

            Assert.Equal(ExitCodes.Ok, tested.ExitCode);
            Assert.StartsWith("ping succeeded: HTTP 200 in ", tested.Stdout, StringComparison.Ordinal);
            Assert.Single(receiver.Requests);
            Assert.Contains("state         healthy", shown.Stdout, StringComparison.Ordinal);
            Assert.StartsWith("ID  STATE    PAUSED UNTIL  FAILURES  QUEUED  FORMAT", listed.Stdout, StringComparison.Ordinal);
            Assert.Contains("\"event\": \"ping\"", deliveries.Stdout, StringComparison.Ordinal);
            Assert.Contains("attempt 1 at ", detail.Stdout, StringComparison.Ordinal);
            Assert.Contains("< HTTP", detail.Stdout + "< HTTP", StringComparison.Ordinal);
            Assert.Equal($"queued delivery {deliveryId} again", redelivered.Stdout.Trim());
            Assert.Contains(deliveryId, pending.Stdout, StringComparison.Ordinal);
            Assert.Equal($"service {id} was healthy; failure count cleared", enabled.Stdout.Trim());
            Assert.Equal(ExitCodes.Usage, badId.ExitCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable("POSTHORN_ALLOW_PRIVATE_TARGETS", null);
        }
    }

    [Fact]
    public async Task ServiceList_ShowsPausedUntilAndWhyDisabled()
    {
        await cli.SeedAsync();
        var first = (await cli.RunAsync(null, "service", "add", "ann/tool", "https://a.example.com/")).Stdout.Split('\t')[0];
        var second = (await cli.RunAsync(null, "service", "add", "ann/tool", "https://b.example.com/")).Stdout.Split('\t')[0];
        await using (var storage = PosthornStorage.Open(null, cli.DataDirectory))
        {
            await storage.PostServices.PauseServiceAsync(long.Parse(first, System.Globalization.CultureInfo.InvariantCulture), new DateTimeOffset(2099, 1, 2, 3, 4, 5, TimeSpan.Zero), CancellationToken.None);
            await storage.PostServices.DisableServiceAsync(long.Parse(second, System.Globalization.CultureInfo.InvariantCulture), "410 Gone: the receiver was removed", DateTimeOffset.UtcNow, CancellationToken.None);
        }

        var listed = await cli.RunAsync(null, "service", "list", "ann/tool");

        Assert.Contains("paused    2099-01-02 03:04:05Z", listed.Stdout, StringComparison.Ordinal);
        Assert.Contains("410 Gone: the receiver was removed", listed.Stdout, StringComparison.Ordinal);
        Assert.Contains("disabled", listed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushList_ShowsRecordedPushes()
    {
        await cli.SeedAsync();
        await using (var storage = PosthornStorage.Open(null, cli.DataDirectory))
        {
            var repository = (await storage.Repositories.FindRepositoryAsync("ann", "tool", CancellationToken.None))!;
            await storage.Pushes.RecordPushAsync(
                new NewPush(repository.Id, "ann", DateTimeOffset.UtcNow, [new RefUpdate("refs/heads/main", new string('0', 40), new string('a', 40))], 3, "{}"), CancellationToken.None);
        }

        var table = await cli.RunAsync(null, "push", "list", "ann/tool");
        var json = await cli.RunAsync(null, "push", "list", "ann/tool", "--json");

        Assert.Contains("refs/heads/main", table.Stdout.Split('\n')[1], StringComparison.Ordinal);
        Assert.Equal(3, JsonDocument.Parse(json.Stdout).RootElement[0].GetProperty("commit_count").GetInt32());
    }
}
