using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Posthorn.Tests.Delivery.Support;
using Posthorn.Tests.Git;
using Posthorn.Tests.Web;

namespace Posthorn.Tests.Observability;

/// <summary>
/// GET /metrics after a real push over loopback git to the whole app, delivered to a real loopback
/// receiver: every metric the operations guide documents is there, with the values the push made.
/// </summary>
[Collection(ProcessWideMetrics.Name)]
public sealed class MetricsEndpointTests
{
    static MetricsEndpointTests() => Environment.SetEnvironmentVariable("Metrics__SampleInterval", "00:00:01");

    [Fact]
    public async Task Metrics_AfterAPushDelivered_CountThePushTheDeliveryAndTheGitRequests()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var host = await AppHost.StartAsync();

        await PushToServiceAsync(host, receiver, "ann");
        // The gauges are sampled from the database on an interval: wait for a sample taken after the delivery settled.
        var text = await PollAsync(host, t => Value(t, "posthorn_deliveries_total", "outcome=\"succeeded\"") >= 1
            && Value(t, "posthorn_services", "state=\"healthy\"") == 1 && Value(t, "posthorn_deliveries_pending", null) == 0);

        Assert.Equal(1, Value(text, "posthorn_pushes_total", null));
        Assert.Equal(1, Value(text, "posthorn_delivery_attempt_duration_seconds_count", "outcome=\"succeeded\""));
        Assert.Equal(1, Value(text, "posthorn_delivery_attempts_total", "outcome=\"succeeded\""));
        Assert.Equal(0, Value(text, "posthorn_deliveries_pending", null));
        Assert.Equal(1, Value(text, "posthorn_git_request_duration_seconds_count", "service=\"receive-pack\",status=\"200\""));
        Assert.Contains("# TYPE posthorn_delivery_attempt_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Metrics_PushToAFailingReceiver_CountsItsDeliveryAsPending()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        await using var host = await AppHost.StartAsync();

        await PushToServiceAsync(host, receiver, "bea");

        // Refused, the delivery waits for its retry: the queue's gauge counts it.
        var text = await PollAsync(host, t => Value(t, "posthorn_delivery_attempts_total", "outcome=\"retryable_failure\"") >= 1 && Value(t, "posthorn_deliveries_pending", null) == 1);
        Assert.Equal(1, Value(text, "posthorn_deliveries_pending", null));
    }

    /// <summary>Signs <paramref name="user"/> up, gives them a repository with one POST service to <paramref name="receiver"/>, and pushes to it with git.</summary>
    private static async Task PushToServiceAsync(AppHost host, LoopbackReceiver receiver, string user)
    {
        var token = await host.SignInAsAsync(user);
        (await host.Http.PostAsJsonAsync("/api/repos", new { owner = user, slug = "tool" })).EnsureSuccessStatusCode();
        (await host.Http.PostAsJsonAsync($"/api/repos/{user}/tool/services", new { url = receiver.Url.ToString() })).EnsureSuccessStatusCode();
        using var git = new GitSandbox();
        var work = git.NewWorkTree("work", "README");
        var url = new UriBuilder(host.Http.BaseAddress!) { UserName = user, Password = token, Path = $"/{user}/tool.git" }.Uri.ToString();
        git.Git(work, $"push {url} HEAD:refs/heads/main");
    }

    private static async Task<string> PollAsync(AppHost host, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var text = await host.Http.GetStringAsync("/metrics");
            if (done(text) || DateTime.UtcNow > deadline)
            {
                return text;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The value of the series whose labels contain <paramref name="labels"/>, or -1 when there is none.</summary>
    private static double Value(string text, string name, string? labels)
    {
        foreach (Match m in Regex.Matches(text, $@"^{name}(\{{(?<labels>[^}}]*)\}})? (?<value>\S+)", RegexOptions.Multiline))
        {
            if (labels is null || m.Groups["labels"].Value.Contains(labels, StringComparison.Ordinal))
            {
                return double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
