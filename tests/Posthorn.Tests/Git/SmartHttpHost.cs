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
using Posthorn.Core.Payloads;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;
using Posthorn.Git.Commits;
using Posthorn.Storage;
using Posthorn.Git;
using Posthorn.Git.Repositories;
using Posthorn.Git.SmartHttp;
using Posthorn.Tests.Payloads;

namespace Posthorn.Tests.Git;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (any free port) serving {BaseUrl}/{owner}/{slug}.git with
/// the smart HTTP handlers and no authentication, the way the web layer will call them, recording
/// pushes through the real intake into a real SQLite store in a temporary folder.
/// </summary>
public sealed class SmartHttpHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly StorageHandle storage;
    private readonly string storageFolder;

    private SmartHttpHost(WebApplication app, StorageHandle storage, string storageFolder, string baseUrl)
    {
        this.app = app;
        this.storage = storage;
        this.storageFolder = storageFolder;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>What each recorded push asked the payload builder for: its ref updates and the tips before it.</summary>
    public ConcurrentQueue<PayloadRequest> Accepted { get; } = new();

    /// <summary>When set, building the push's payload throws it (recording fails, as with a database that is down).</summary>
    public Exception? FailRecording { get; set; }

    public BareRepositories Repositories => app.Services.GetRequiredService<BareRepositories>();

    public Housekeeping Housekeeping => app.Services.GetRequiredService<Housekeeping>();

    public IPushStore Pushes => storage.Pushes;

    /// <summary>The whole store (services, deliveries), for tests of what a push queues.</summary>
    public StorageHandle Storage => storage;

    public IServiceProvider Services => app.Services;

    public string UrlOf(string owner, string slug) => $"{BaseUrl}/{owner}/{slug}.git";

    /// <summary>The stored repository (created on the first push to it).</summary>
    public async Task<Repository> RepositoryAsync(string owner, string slug) =>
        await storage.Repositories.FindRepositoryAsync(owner, slug, CancellationToken.None) ?? throw new InvalidOperationException($"{owner}/{slug} has no push yet");

    /// <param name="configure">Adds services beside the git hosting (e.g. pull requests), given the opened storage.</param>
    public static async Task<SmartHttpHost> StartAsync(
        string repositoriesRoot, long maxRequestBodyBytes = 2L << 30, int gcCheckEveryPushes = 20, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection, StorageHandle>? configure = null)
    {
        var storageFolder = Directory.CreateTempSubdirectory("posthorn-smarthttp-").FullName;
        var storage = PosthornStorage.Open(null, storageFolder);
        await storage.MigrateAsync(CancellationToken.None);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Git:RepositoriesRoot"] = repositoriesRoot,
            ["Git:MaxRequestBodyBytes"] = maxRequestBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Git:GcCheckEveryPushes"] = gcCheckEveryPushes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddSingleton<IAccountStore>(new EmailLookup(new Dictionary<string, string>()));
        builder.Services.AddPosthornGit(builder.Configuration);
        SmartHttpHost? host = null;
        builder.Services.AddSingleton<PushPayloadBuilder>();
        builder.Services.AddSingleton<IPushPayloadBuilder>(sp => new Tap(sp.GetRequiredService<PushPayloadBuilder>(), () => host!));
        builder.Services.AddSingleton(storage.Pushes);
        builder.Services.AddSingleton(storage.Wakeup);
        builder.Services.AddSingleton(new CanonUrl("http://posthorn.test"));
        builder.Services.AddSingleton<PushIntake>();
        configure?.Invoke(builder.Services, storage);
        var app = builder.Build();
        var git = app.Services.GetRequiredService<GitSmartHttp>();
        app.MapGet("/{owner}/{slug}.git/info/refs", c => git.InfoRefsAsync(c, host!.DirectoryOf(c)));
        app.MapPost("/{owner}/{slug}.git/git-upload-pack", c => git.UploadPackAsync(c, host!.DirectoryOf(c)));
        app.MapPost("/{owner}/{slug}.git/git-receive-pack", async c =>
            await git.ReceivePackAsync(c, new ReceiveTarget(await host!.RepositoryOfAsync(c), host.DirectoryOf(c), "alice")));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host = new SmartHttpHost(app, storage, storageFolder, address);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await storage.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(storageFolder, recursive: true);
    }

    private string DirectoryOf(HttpContext c) => Repositories.GetDirectory((string)c.Request.RouteValues["owner"]!, (string)c.Request.RouteValues["slug"]!);

    /// <summary>The stored repository for the route, created (with its owner's account) on first use.</summary>
    private async Task<Repository> RepositoryOfAsync(HttpContext c)
    {
        var owner = (string)c.Request.RouteValues["owner"]!;
        var slug = (string)c.Request.RouteValues["slug"]!;
        if (await storage.Repositories.FindRepositoryAsync(owner, slug, CancellationToken.None) is { } existing)
        {
            return existing;
        }

        var account = await storage.Accounts.FindAccountAsync(owner, CancellationToken.None)
            ?? await storage.Accounts.CreateAccountAsync(owner, owner + "@example.com", "-", false, DateTimeOffset.UtcNow, CancellationToken.None);
        return await storage.Repositories.CreateRepositoryAsync(new NewRepository(account.Id, slug, slug, false, ""), DateTimeOffset.UtcNow, CancellationToken.None);
    }

    /// <summary>Passes payload requests to the real builder, noting each (or failing, when told to).</summary>
    private sealed class Tap(IPushPayloadBuilder inner, Func<SmartHttpHost> host) : IPushPayloadBuilder
    {
        public Task<BuiltPayload> BuildAsync(PayloadRequest request, CancellationToken ct)
        {
            if (host().FailRecording is { } failure)
            {
                throw failure;
            }

            host().Accepted.Enqueue(request);
            return inner.BuildAsync(request, ct);
        }
    }
}
