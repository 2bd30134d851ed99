using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.PostService;

/// <summary>
/// SIGTERM and SIGINT, as a service manager or a terminal sends them, stop the real server cleanly on
/// every backend: exit code 0, no exception in its output, even with an attempt in flight to a
/// receiver that never answers (the attempt is cancelled and its lease given back).
/// </summary>
public sealed class GracefulStopTests
{
    // Regression: on PostgreSQL a graceful SIGTERM ended with ObjectDisposedException and exit code 1
    // (the LISTEN wake-up was disposed twice).
    [Theory]
    [InlineData("sqlite", "TERM")]
    [InlineData("postgres", "TERM")]
    [InlineData("sqlite", "INT")]
    [InlineData("postgres", "INT")]
    public async Task Signal_WithAnAttemptInFlight_ExitsZeroWithoutAnException(string backend, string signal)
    {
        await using var receiver = await Receiver.StartAsync();
        var hanging = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Respond = (_, _) => hanging.Task; // never answers until the test ends
        await using var site = await Site.StartAsync(backend, new Dictionary<string, string>
        {
            ["Delivery__AttemptTimeout"] = "00:05:00", // longer than the test: the stop must not wait for it
            ["Delivery__Lease"] = "00:10:00",
        });
        var work = await Repos.CreateAsync(site, "stop");
        await Hook.AddAsync(site, "stop", receiver.Url + "/hook");
        await Repos.CommitAsync(site, work, "a");
        await Repos.PushAsync(site, work, "stop", "main");
        await receiver.WaitForAsync(1, TimeSpan.FromSeconds(60)); // the attempt is in flight

        var exitCode = await site.Server.SignalAndWaitAsync(signal, TimeSpan.FromSeconds(90));
        hanging.TrySetResult(200);

        var log = site.Server.Log();
        Assert.True(exitCode == 0, $"exit code {exitCode}; output:\n{log}");
        Assert.DoesNotContain("Exception", log, StringComparison.Ordinal);
    }
}
