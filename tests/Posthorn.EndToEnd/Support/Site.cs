using System.Net.Http.Json;
using System.Text.Json;

namespace Posthorn.EndToEnd.Support;

/// <summary>
/// A running Posthorn with a cast of users made through the real command line (once per test run,
/// then copied: <see cref="SiteTemplate"/>): alice (owner of everything), bob (read), carol (write), dave (admin grant), eve (nothing), root (site admin).
/// </summary>
public sealed class Site : IAsyncDisposable
{
    public const string Password = "correct-horse-battery";

    private Site(TempFolder folder, PosthornServer server, GitCli git)
    {
        Folder = folder;
        Server = server;
        Git = git;
    }

    public TempFolder Folder { get; }

    public PosthornServer Server { get; }

    public GitCli Git { get; }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <param name="allowPrivateTargets">False starts the server without --allow-private-targets, as an operator would by default.</param>
    public static async Task<Site> StartAsync(string backend = "sqlite", IDictionary<string, string>? env = null, bool allowPrivateTargets = true)
    {
        var folder = new TempFolder();
        PosthornServer? server = null;
        try
        {
            var data = folder.Sub("data");
            server = new PosthornServer(data, await SiteTemplate.CopyAsync(backend, data), env) { AllowPrivateTargets = allowPrivateTargets };
            await server.StartAsync();
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync(); // a server that never became ready is killed, not left running
            }

            folder.Dispose();
            throw;
        }

        return new Site(folder, server, new GitCli(folder.Sub("home")));
    }

    /// <summary>
    /// Creates alice/{slug} with bob read, carol write, dave admin, through the REST API as alice: four
    /// requests instead of four command-line processes (about half a second of CPU each,
    /// and most tests make a repository). The command line's own repo commands are tested in CommandLineTests.
    /// </summary>
    public async Task CreateRepositoryAsync(string slug, bool isPrivate = false, string scm = "git")
    {
        await ApiJsonAsync(HttpMethod.Post, "/api/repos", body: new { Slug = slug, IsPrivate = isPrivate, Scm = scm });
        foreach (var (user, level) in new[] { ("bob", "read"), ("carol", "write"), ("dave", "admin") })
        {
            await ApiJsonAsync(HttpMethod.Put, $"/api/repos/alice/{slug}/permissions/{user}", body: new { Permission = level });
        }
    }

    public string Url(string slug, string? user = "alice") => Server.GitUrl("alice", slug, user, user is null ? null : Password);

    public async Task<HttpResponseMessage> ApiAsync(HttpMethod method, string path, string? user = "alice", object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (user is not null)
        {
            request.Headers.Authorization = PosthornServer.Basic(user, Password);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        return await Server.Http.SendAsync(request);
    }

    public async Task<JsonElement> ApiJsonAsync(HttpMethod method, string path, string? user = "alice", object? body = null)
    {
        using var response = await ApiAsync(method, path, user, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {path} → {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Folder.Dispose();
    }
}
