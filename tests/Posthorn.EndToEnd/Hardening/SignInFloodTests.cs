using System.Net;
using Posthorn.EndToEnd.Support;
using Xunit.Abstractions;

namespace Posthorn.EndToEnd.Hardening;

/// <summary>
/// Regression: 6,000 failed sign-ins with 20,000-character usernames grew the server by 232 MB
/// that was never freed, because the throttle kept every username as a key forever. Now absurd
/// usernames are refused before the throttle sees them and its table is bounded.
/// </summary>
public sealed class SignInFloodTests(ITestOutputHelper output)
{
    private const int Requests = 6_000;
    private const int UsernameLength = 20_000;

    [Fact]
    public async Task Flood_OfHugeUsernames_LeavesResidentMemoryBounded_AndRealUsersSignIn()
    {
        await using var site = await Site.StartAsync();
        var server = site.Server;

        // Warm up first (JIT, pools), so the measurement is the flood's, not start-up's.
        await FloodAsync(server, 300, offset: 0);
        var before = ProcessMemory.ResidentBytes(server.ProcessId);

        await FloodAsync(server, Requests, offset: 1_000_000);
        var after = ProcessMemory.ResidentBytes(server.ProcessId);

        var growthMb = (after - before) / (1024.0 * 1024);
        output.WriteLine($"RSS before {before / (1024 * 1024)} MB, after {Requests} requests of {UsernameLength}-char usernames {after / (1024 * 1024)} MB, growth {growthMb:F1} MB");

        // Every such username kept as a key cost 40 KB: 6,000 of them were 232 MB. A bounded table stays far below.
        Assert.True(growthMb < 100, $"resident memory grew by {growthMb:F1} MB");
        using var me = await site.ApiAsync(HttpMethod.Get, "/api/user", "alice");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    private static async Task FloodAsync(PosthornServer server, int count, int offset)
    {
        var next = -1;
        var workers = Enumerable.Range(0, 8).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                // Each name different, as in the report: a cache keyed by name would keep them all.
                var name = (offset + i).ToString("D10", System.Globalization.CultureInfo.InvariantCulture) + new string('u', UsernameLength - 10);
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/user");
                request.Headers.Authorization = PosthornServer.Basic(name, "not-the-password");
                using var response = await server.Http.SendAsync(request);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
        });
        await Task.WhenAll(workers);
    }
}
