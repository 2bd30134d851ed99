using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Posthorn.EndToEnd.Soak;

/// <summary>
/// A real loopback receiver that fails about 30 % of requests, a third each way: answers 500, hangs
/// past the server's attempt timeout, or resets the connection. Every request is recorded with
/// whether it was accepted (answered 200), so the books can say which payloads reached a receiver.
/// </summary>
public sealed class FlakyReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<Reception> receptions = new();
    private readonly Random random;
    private readonly TimeSpan hang;

    private FlakyReceiver(WebApplication app, int seed, TimeSpan hang)
    {
        this.app = app;
        random = new Random(seed);
        this.hang = hang;
    }

    public string Url => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public IReadOnlyList<Reception> Receptions => [.. receptions];

    /// <param name="hang">How long a hanging answer waits (longer than the server's attempt timeout); it ends early when the server gives up.</param>
    public static async Task<FlakyReceiver> StartAsync(int seed, TimeSpan hang)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new FlakyReceiver(app, seed, hang);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        int roll;
        lock (random)
        {
            roll = random.Next(100);
        }

        receptions.Enqueue(new Reception(
            context.Request.Headers["X-Posthorn-Delivery"].ToString(),
            context.Request.Headers["X-Posthorn-Event"].ToString(),
            context.Request.ContentType ?? "",
            body.ToArray(),
            Accepted: roll >= 30));
        switch (roll)
        {
            case < 10:
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync("soak: failing on purpose");
                break;
            case < 20:
                try
                {
                    await Task.Delay(hang, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }

                context.Response.StatusCode = 500;
                break;
            case < 30:
                context.Abort();
                break;
            default:
                await context.Response.WriteAsync("received");
                break;
        }
    }
}
