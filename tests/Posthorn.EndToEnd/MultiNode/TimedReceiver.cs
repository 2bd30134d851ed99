using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Posthorn.EndToEnd.MultiNode;

/// <summary>One request as the receiver saw it: which delivery, when it arrived and when it ended (answered or aborted).</summary>
public sealed record TimedRequest(string DeliveryId, int Attempt, string Body, long ArrivedTicks, long EndedTicks, int Status, bool Aborted)
{
    public bool Overlaps(TimedRequest other) => ArrivedTicks < other.EndedTicks && other.ArrivedTicks < EndedTicks;
}

/// <summary>
/// A loopback receiver that records each request's interval, so a test can prove no delivery was
/// being received from two senders at once. <see cref="Respond"/> may delay (honouring the abort of a
/// killed sender's connection) and chooses the status.
/// </summary>
public sealed class TimedReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<TimedRequest> requests = new();

    private TimedReceiver(WebApplication app) => this.app = app;

    /// <summary>Given the delivery id, returns the status; the token is the request's abort.</summary>
    public Func<string, CancellationToken, Task<int>> Respond { get; set; } = (_, _) => Task.FromResult(200);

    public string Url => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

    public IReadOnlyList<TimedRequest> Requests => [.. requests];

    /// <summary>Distinct delivery ids answered with 2xx so far.</summary>
    public int DeliveredCount => requests.Where(r => r.Status is >= 200 and < 300 && !r.Aborted).Select(r => r.DeliveryId).Distinct().Count();

    public static async Task<TimedReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new TimedReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits (bounded) until <paramref name="deliveries"/> distinct deliveries were answered 2xx.</summary>
    public async Task WaitForDeliveredAsync(int deliveries, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (DeliveredCount < deliveries)
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"expected {deliveries} deliveries, got {DeliveredCount} ({requests.Count} requests)");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        var id = context.Request.Headers["X-Posthorn-Delivery"].ToString();
        _ = int.TryParse(context.Request.Headers["X-Posthorn-Attempt"].ToString(), out var attempt);
        var status = 0;
        var aborted = false;
        var body = "";
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            body = await reader.ReadToEndAsync(context.RequestAborted);
            status = await Respond(id, context.RequestAborted);
            context.Response.StatusCode = status;
            await context.Response.WriteAsync("received", context.RequestAborted);
            await context.Response.CompleteAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            aborted = true;
        }
        finally
        {
            aborted |= context.RequestAborted.IsCancellationRequested;
            requests.Enqueue(new TimedRequest(id, attempt, body, arrived, Stopwatch.GetTimestamp(), status, aborted));
        }
    }
}
