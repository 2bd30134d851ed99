using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Posthorn.EndToEnd.Support;

/// <summary>One request as the receiver got it.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body, long ReceivedTicks)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public string Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : "";
}

/// <summary>
/// A real HTTP receiver on 127.0.0.1: records every request and answers whatever <see cref="Respond"/>
/// says (default 200), so tests can make it fail N times, hang, or succeed.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedRequest> received = new();
    private int count;

    private Receiver(WebApplication app) => this.app = app;

    /// <summary>Given the 1-based number of this request and the request, returns the status to answer.</summary>
    public Func<int, ReceivedRequest, Task<int>> Respond { get; set; } = (_, _) => Task.FromResult(200);

    public string Url => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public IReadOnlyList<ReceivedRequest> Requests => [.. received];

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits (bounded) until at least <paramref name="n"/> requests have arrived.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(int n, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (received.Count < n)
        {
            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"expected {n} requests, got {received.Count}");
            }

            await Task.Delay(20);
        }

        return Requests;
    }

    /// <summary>Waits (bounded) until at least <paramref name="n"/> requests matching <paramref name="match"/> have arrived; returns those.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(Func<ReceivedRequest, bool> match, int n, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var matching = received.Where(match).ToList();
            if (matching.Count >= n)
            {
                return matching;
            }

            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"expected {n} matching requests, got {matching.Count} (of {received.Count} in all)");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The port the receiver listens on.</summary>
    public int Port => new Uri(Url).Port;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var request = new ReceivedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            body.ToArray(),
            Stopwatch.GetTimestamp());
        var number = Interlocked.Increment(ref count);
        received.Enqueue(request);
        context.Response.StatusCode = await Respond(number, request);
        await context.Response.WriteAsync("received");
    }
}
