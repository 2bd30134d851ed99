using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.PostService;

/// <summary>A server as an operator starts it by default: no --allow-private-targets.</summary>
public sealed class GuardedSites : SiteFixture
{
    public Receiver Receiver { get; private set; } = null!;

    protected override IDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["Delivery__RetrySchedule__0"] = "00:00:00.200",
        ["Delivery__Jitter"] = "0",
        ["Delivery__AttemptTimeout"] = "00:00:02",
    };

    protected override bool AllowPrivateTargets => false;

    public override async Task InitializeAsync() => Receiver = await Receiver.StartAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary>
/// Without the allow flag, spellings of this host and the metadata address are refused where the
/// connection opens: the receiver on 127.0.0.1 gets nothing, and the attempt says why.
/// </summary>
public sealed class TargetSafetyTests(GuardedSites sites) : IClassFixture<GuardedSites>
{
    [Theory]
    [InlineData("short-ipv4", "http://127.1:{port}/", "loopback")]
    [InlineData("hex-ipv4", "http://0x7f000001:{port}/", "loopback")]
    [InlineData("mapped-ipv6", "http://[::ffff:127.0.0.1]:{port}/", "loopback")]
    [InlineData("metadata", "http://169.254.169.254/latest/meta-data/", "metadata")]
    [InlineData("name", "http://localhost:{port}/", "loopback")]
    public async Task PrivateTarget_IsRefused_OnPushAndOnTest_WithTheReasonInTheAttempt(string slug, string url, string kind)
    {
        var site = await sites.SiteAsync();
        var work = await Repos.CreateAsync(site, slug);
        var target = url.Replace("{port}", sites.Receiver.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        // Saving it through the API is refused at once, naming the fix...
        using (var refused = await site.ApiAsync(HttpMethod.Post, $"/api/repos/alice/{slug}/services", body: new { url = target }))
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("--allow-private-targets", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // ...and one saved anyway (the command line only warns) is still refused where the connection opens.
        var hook = await Hook.AddThroughCliAsync(site, slug, target);

        await Repos.CommitAsync(site, work, "a");
        await Repos.PushAsync(site, work, slug, "main");
        var id = Assert.Single(await hook.DeliveriesAsync()).GetProperty("id").GetString()!;
        var detail = await hook.WaitForDeliveryAsync(id, d => Hook.Status(d) == "failed", TimeSpan.FromSeconds(15));
        var attempt = Assert.Single(detail.GetProperty("attempts").EnumerateArray()); // refused is permanent: no retry
        Assert.Equal("permanent_failure", attempt.GetProperty("outcome").GetString());
        Assert.Contains("Refused to connect", attempt.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains(kind, attempt.GetProperty("error").GetString(), StringComparison.Ordinal);

        var ping = await site.ApiJsonAsync(HttpMethod.Post, hook.Path + "/test");
        Assert.Contains(kind, ping.GetProperty("attempts")[0].GetProperty("error").GetString(), StringComparison.Ordinal);

        Assert.Empty(sites.Receiver.Requests);
    }
}
