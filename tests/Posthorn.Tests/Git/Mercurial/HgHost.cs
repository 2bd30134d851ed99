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
using Posthorn.Git;
using Posthorn.Git.Mercurial;
using Posthorn.Git.SmartHttp;
using Posthorn.Storage;

namespace Posthorn.Tests.Git.Mercurial;

/// <summary>
/// A real Kestrel server on 127.0.0.1 serving Mercurial repositories at {BaseUrl}/{owner}/{slug}
/// the way the web layer hands requests over (hgweb per request, pushes through HgPushHandler), with
/// no authentication (the pusher is the owner), recording through the real intake into a real SQLite
/// store whose accounts also match changeset authors by e-mail.
/// </summary>
public sealed class HgHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string folder;

    private HgHost(WebApplication app, StorageHandle storage, string folder, string baseUrl)
    {
        this.app = app;
        this.folder = folder;
        Storage = storage;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public StorageHandle Storage { get; }

    public IServiceProvider Services => app.Services;

    public string Url(string owner, string slug) => $"{BaseUrl}/{owner}/{slug}";

    public string DirectoryOf(string owner, string slug) => app.Services.GetRequiredService<HgRepositories>().GetDirectory(owner, slug);

    public static async Task<HgHost> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("posthorn-hghost-").FullName;
        var storage = PosthornStorage.Open(null, Path.Combine(folder, "data"));
        await storage.MigrateAsync(CancellationToken.None);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("POSTHORN_TEST_LOG") == "1")
        {
            builder.Logging.AddSimpleConsole();
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Git:RepositoriesRoot"] = Path.Combine(folder, "repositories") });
        builder.Services.AddSingleton(storage.Accounts);
        builder.Services.AddPosthornGit(builder.Configuration);
        builder.Services.AddSingleton(storage.Pushes);
        builder.Services.AddSingleton(storage.Wakeup);
        builder.Services.AddSingleton(new CanonUrl("http://posthorn.test"));
        builder.Services.AddSingleton<PushIntake>();
        var app = builder.Build();
        HgHost? host = null;
        app.MapMethods("/{owner}/{slug}", ["GET", "POST"], async (HttpContext c, string owner, string slug) =>
        {
            var repository = await storage.Repositories.FindRepositoryAsync(owner, slug, CancellationToken.None) ?? throw new InvalidOperationException("no such repository");
            var directory = host!.DirectoryOf(owner, slug);
            if (HgWireCommand.Writes(c.Request))
            {
                await c.RequestServices.GetRequiredService<HgPushHandler>().HandleAsync(c, new ReceiveTarget(repository, directory, owner));
            }
            else
            {
                await c.RequestServices.GetRequiredService<HgWebGateway>().ServeAsync(c, directory, owner);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host = new HgHost(app, storage, folder, address);
        return host;
    }

    /// <summary>Creates the owner's account (e-mail owner@example.com) if needed and an empty Mercurial repository.</summary>
    public async Task<Repository> CreateRepositoryAsync(string owner, string slug)
    {
        var account = await Storage.Accounts.FindAccountAsync(owner, CancellationToken.None)
            ?? await Storage.Accounts.CreateAccountAsync(owner, owner + "@example.com", "-", false, DateTimeOffset.UtcNow, CancellationToken.None);
        var repository = await Storage.Repositories.CreateRepositoryAsync(new NewRepository(account.Id, slug, slug, false, "", Scms.Mercurial), DateTimeOffset.UtcNow, CancellationToken.None);
        await app.Services.GetRequiredService<HgRepositories>().CreateAsync(owner, slug, CancellationToken.None);
        return repository;
    }

    public async Task<IReadOnlyList<Push>> PushesAsync(Repository repository) =>
        (await Storage.Pushes.ListPushesAsync(repository.Id, 100, null, CancellationToken.None)).Reverse().ToList();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await Storage.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
