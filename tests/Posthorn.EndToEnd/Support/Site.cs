using System.Net.Http.Json;
using System.Text.Json;

namespace Posthorn.EndToEnd.Support;

/// <summary>
/// A running Posthorn with a cast of users made through the real command line:
/// alice (owner of everything), bob (read), carol (write), dave (admin grant), eve (nothing), root (site admin).
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
        var database = await Backend.NewDatabaseAsync(backend);
        var server = new PosthornServer(folder.Sub("data"), database, env) { AllowPrivateTargets = allowPrivateTargets };
        foreach (var (user, extra) in new[] { ("alice", ""), ("bob", ""), ("carol", ""), ("dave", ""), ("eve", ""), ("root", "--admin") })
        {
            string[] args = extra == "" ? ["user", "add", user, "--email", $"{user}@example.com"] : ["user", "add", user, "--email", $"{user}@example.com", extra];
            (await server.CliAsync(Password + "\n", args)).EnsureSuccess("user add " + user);
        }

        await server.StartAsync();
        return new Site(folder, server, new GitCli(folder.Sub("home")));
    }

    /// <summary>Creates alice/{slug} with bob read, carol write, dave admin.</summary>
    public async Task CreateRepositoryAsync(string slug, bool isPrivate = false, string scm = "git")
    {
        string[] create = isPrivate ? ["repo", "create", $"alice/{slug}", "--private", "--scm", scm] : ["repo", "create", $"alice/{slug}", "--scm", scm];
        (await Server.CliAsync(null, create)).EnsureSuccess("repo create");
        foreach (var (user, level) in new[] { ("bob", "read"), ("carol", "write"), ("dave", "admin") })
        {
            (await Server.CliAsync(null, "repo", "grant", $"alice/{slug}", user, level)).EnsureSuccess("repo grant");
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
