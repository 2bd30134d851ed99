using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Posthorn.Core.Accounts;
using Posthorn.Git;
using Posthorn.Git.Repositories;
using Posthorn.Git.SmartHttp;
using Posthorn.Tests.Payloads;

namespace Posthorn.Tests.Git;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (any free port) serving {BaseUrl}/{owner}/{slug}.git with
/// the smart HTTP handlers and no authentication, the way the web layer will call them.
/// </summary>
public sealed class SmartHttpHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private SmartHttpHost(WebApplication app, string baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public ConcurrentQueue<AcceptedPush> Accepted { get; } = new();

    /// <summary>When set, the push callback throws it (a database that is down).</summary>
    public Exception? FailRecording { get; set; }

    public BareRepositories Repositories => app.Services.GetRequiredService<BareRepositories>();

    public Housekeeping Housekeeping => app.Services.GetRequiredService<Housekeeping>();

    public string UrlOf(string owner, string slug) => $"{BaseUrl}/{owner}/{slug}.git";

    public static async Task<SmartHttpHost> StartAsync(string repositoriesRoot, long maxRequestBodyBytes = 2L << 30, int gcCheckEveryPushes = 20)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Git:RepositoriesRoot"] = repositoriesRoot,
            ["Git:MaxRequestBodyBytes"] = maxRequestBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Git:GcCheckEveryPushes"] = gcCheckEveryPushes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Services.AddSingleton<IAccountStore>(new EmailLookup(new Dictionary<string, string>()));
        builder.Services.AddPosthornGit(builder.Configuration);
        var app = builder.Build();
        SmartHttpHost? host = null;
        string Dir(HttpContext c) => host!.Repositories.GetDirectory((string)c.Request.RouteValues["owner"]!, (string)c.Request.RouteValues["slug"]!);
        var git = app.Services.GetRequiredService<GitSmartHttp>();
        app.MapGet("/{owner}/{slug}.git/info/refs", c => git.InfoRefsAsync(c, Dir(c)));
        app.MapPost("/{owner}/{slug}.git/git-upload-pack", c => git.UploadPackAsync(c, Dir(c)));
        app.MapPost("/{owner}/{slug}.git/git-receive-pack", c => git.ReceivePackAsync(c, Dir(c), (push, _) =>
        {
            if (host!.FailRecording is { } failure)
            {
                throw failure;
            }

            host.Accepted.Enqueue(push);
            return Task.CompletedTask;
        }));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host = new SmartHttpHost(app, address);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
