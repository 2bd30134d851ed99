using Posthorn.EndToEnd.Browser;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.PullRequests;

/// <summary>
/// A <see cref="BrowserSite"/> (server, receiver, Chromium) with alice/pr-open (public) and alice/pr-secret
/// (private), each with main, a branch "feature", and pull request #1 opened with the CLI
/// (bob read, carol write, dave admin, eve nothing), opened over the API.
/// </summary>
public sealed class PullRequestSite : IAsyncLifetime
{
    public BrowserSite Browser { get; } = new();

    public Site Site => Browser.Site;

    public async Task InitializeAsync()
    {
        await Browser.InitializeAsync();
        foreach (var (slug, isPrivate) in new[] { ("pr-open", false), ("pr-secret", true) })
        {
            await CreateRepositoryAsync(slug, isPrivate);
            await PushMainAndFeatureAsync(slug);
            await Site.ApiJsonAsync(HttpMethod.Post, $"/api/repos/alice/{slug}/pullrequests", "alice", new { title = "Seeded", source = "feature", destination = "main" });
        }
    }

    public async Task DisposeAsync() => await Browser.DisposeAsync();

    /// <summary>
    /// alice/{slug} with bob read, carol write, dave admin, like <see cref="Site.CreateRepositoryAsync"/> but over
    /// the API: four requests instead of four CLI processes, which keeps this class within its time budget.
    /// </summary>
    public async Task CreateRepositoryAsync(string slug, bool isPrivate = false)
    {
        await Site.ApiJsonAsync(HttpMethod.Post, "/api/repos", "alice", new { owner = "alice", slug, is_private = isPrivate });
        foreach (var (user, level) in new[] { ("bob", "read"), ("carol", "write"), ("dave", "admin") })
        {
            await Site.ApiJsonAsync(HttpMethod.Put, $"/api/repos/alice/{slug}/permissions/{user}", "alice", new { permission = level });
        }
    }

    /// <summary>Pushes main (README) and feature (main + feature.txt) to alice/{slug} as alice.</summary>
    public async Task PushMainAndFeatureAsync(string slug)
    {
        var work = await Site.Git.InitWithCommitsAsync(Path.Combine(Site.Folder.Path, "work-" + slug), "README");
        await Site.Git.RunAsync(work, "push", Site.Url(slug), "main");
        await Site.Git.RunAsync(work, "checkout", "-q", "-b", "feature");
        await Site.Git.CommitFileAsync(work, "feature.txt", "one\ntwo\nthree\n", "Add the feature");
        await Site.Git.RunAsync(work, "push", Site.Url(slug), "feature");
    }
}
