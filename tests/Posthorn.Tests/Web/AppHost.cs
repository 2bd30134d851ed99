using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Extensions;
using Posthorn.Web.Accounts;

namespace Posthorn.Tests.Web;

/// <summary>
/// The whole application as `posthorn serve` builds it (PosthornWebApp), in-process on a free
/// loopback port with a real SQLite store in a temporary folder: API, pages, git and /metrics,
/// without the cost of a process per test.
/// </summary>
public sealed class AppHost : IAsyncDisposable
{
    private AppHost(WebApplication app, string dataDirectory, string baseUrl)
    {
        App = app;
        DataDirectory = dataDirectory;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl) };
    }

    public WebApplication App { get; }

    public string DataDirectory { get; }

    public HttpClient Http { get; }

    public static async Task<AppHost> StartAsync(bool allowPrivateTargets = true)
    {
        var data = Directory.CreateTempSubdirectory("posthorn-app-").FullName;
        var app = await PosthornWebApp.BuildAsync(new ServeSettings(data, null, "http://127.0.0.1:0", "http://127.0.0.1", allowPrivateTargets), CancellationToken.None);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AppHost(app, data, address);
    }

    /// <summary>Creates a user (site admin if asked) and a token; the client sends it from now on.</summary>
    public async Task<string> SignInAsAsync(string username, bool admin = true)
    {
        var registry = App.Services.GetRequiredService<AccountRegistry>();
        var account = await registry.CreateAsync(username, $"{username}@example.com", "s3cret-password", admin, CancellationToken.None);
        var (_, secret) = await registry.CreateTokenAsync(account, "test", CancellationToken.None);
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return secret;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
