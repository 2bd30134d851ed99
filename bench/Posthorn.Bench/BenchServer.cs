using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;
using Posthorn.Extensions;
using Posthorn.Web.Accounts;
using Posthorn.Web.Repositories;

namespace Posthorn.Bench;

/// <summary>
/// The real Posthorn host (<see cref="PosthornWebApp.BuildAsync"/>, SQLite in a scratch data
/// folder) in this process on a free loopback port, with a user "bench" and its token.
/// </summary>
public sealed class BenchServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private BenchServer(WebApplication app, string url)
    {
        this.app = app;
        Url = url;
    }

    public string Url { get; private set; }

    public string Token { get; private set; } = "";

    public IServiceProvider Services => app.Services;

    /// <summary>Builds the host; <paramref name="configuration"/> may set keys (Delivery:*, ...); <paramref name="database"/> a PostgreSQL connection string (else SQLite in the folder).</summary>
    public static async Task<BenchServer> StartAsync(string dataDirectory, IDictionary<string, string>? configuration = null, bool start = true, string? database = null)
    {
        foreach (var (key, value) in configuration ?? new Dictionary<string, string>())
        {
            Environment.SetEnvironmentVariable(key.Replace(":", "__", StringComparison.Ordinal), value);
        }

        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        var settings = new ServeSettings(dataDirectory, database, "http://127.0.0.1:0", "http://127.0.0.1", AllowPrivateTargets: true);
        var app = await PosthornWebApp.BuildAsync(settings, CancellationToken.None);
        foreach (var key in configuration?.Keys ?? [])
        {
            Environment.SetEnvironmentVariable(key.Replace(":", "__", StringComparison.Ordinal), null);
        }

        var server = new BenchServer(app, "");
        if (start)
        {
            await server.StartHostAsync();
        }

        return server;
    }

    /// <summary>Starts Kestrel and the hosted services (the delivery dispatcher among them).</summary>
    public async Task StartHostAsync()
    {
        await app.StartAsync();
        Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public async Task<BenchServer> WithUserAsync()
    {
        var accounts = app.Services.GetRequiredService<AccountRegistry>();
        var account = await accounts.CreateAsync("bench", "bench@example.com", "bench-password-1", isSiteAdmin: true, CancellationToken.None);
        Token = (await accounts.CreateTokenAsync(account, "bench", CancellationToken.None)).Secret;
        return this;
    }

    public async Task<Repository> CreateRepositoryAsync(string slug, string owner = "bench") =>
        await app.Services.GetRequiredService<RepositoryCatalog>().CreateAsync(owner, slug, null, isPrivate: false, null, CancellationToken.None);

    /// <summary>Another account (no token): an owner of repositories, for scenarios that spread services over owners.</summary>
    public async Task CreateOwnerAsync(string username) =>
        await app.Services.GetRequiredService<AccountRegistry>().CreateAsync(username, $"{username}@example.com", "bench-password-1", isSiteAdmin: false, CancellationToken.None);

    /// <summary>
    /// Removes a repository's git folder, keeping its rows. For scenarios that queue pushes through the
    /// store without moving refs on disk: the start-up reconciliation skips a repository without a
    /// folder instead of recording the difference as a recovered push (and more deliveries).
    /// </summary>
    public void RemoveGitFolder(Repository repository)
    {
        var folder = app.Services.GetRequiredService<IRepositoryFolders>().PathOf(repository.Owner, repository.Slug);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true); // another node's data folder never had it
        }
    }

    public async Task<PostService> AddServiceAsync(long repositoryId, string url, PayloadFormat format) =>
        await app.Services.GetRequiredService<IPostServiceStore>().CreateServiceAsync(
            repositoryId, new PostServiceSettings(url, format, IsActive: true, []), DateTimeOffset.UtcNow, CancellationToken.None);

    /// <summary>http://bench:TOKEN@host/bench/slug.git</summary>
    public string GitUrl(string slug) => Url.Replace("http://", $"http://bench:{Token}@", StringComparison.Ordinal) + $"/bench/{slug}.git";

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
