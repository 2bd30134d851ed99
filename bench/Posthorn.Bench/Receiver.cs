using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Posthorn.Bench;

/// <summary>
/// The POST receiver on loopback: reads each body whole, stamps the moment it was fully received
/// (<see cref="Stopwatch.GetTimestamp"/>), hands it to <see cref="OnBody"/> and answers 200.
/// POSTs to /hook/{key} are also counted per key (<see cref="OnKey"/>), so a scenario can tell its
/// services apart.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private long count;

    private Receiver(WebApplication app) => this.app = app;

    public string Url { get; private set; } = "";

    public long Count => Interlocked.Read(ref count);

    /// <summary>Called with the body and its arrival timestamp; must be thread-safe.</summary>
    public Action<byte[], long>? OnBody { get; set; }

    /// <summary>Called with the key of a POST to /hook/{key} once its body is read; must be thread-safe.</summary>
    public Action<string>? OnKey { get; set; }

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.MapPost("/hook", async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var at = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref receiver.count);
            receiver.OnBody?.Invoke(buffer.ToArray(), at);
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        app.MapPost("/hook/{key}", async (HttpContext context, string key) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            Interlocked.Increment(ref receiver.count);
            receiver.OnKey?.Invoke(key);
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/hook";
        return receiver;
    }

    public void Reset() => Interlocked.Exchange(ref count, 0);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
