using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.PostService;

/// <summary>Repositories made through the API (a CLI process per step costs seconds on a small machine).</summary>
public static class Repos
{
    /// <summary>Creates alice/{slug} with a display name and website, carol granted write; returns a fresh local working repository for it.</summary>
    public static async Task<string> CreateAsync(Site site, string slug)
    {
        await site.ApiJsonAsync(HttpMethod.Post, "/api/repos", body: new { slug, name = $"Project {slug}", website = $"https://example.com/{slug}" });
        await site.ApiJsonAsync(HttpMethod.Put, $"/api/repos/alice/{slug}/permissions/carol", body: new { permission = "write" });
        var work = Path.Combine(site.Folder.Path, "work-" + slug);
        Directory.CreateDirectory(work);
        await site.Git.RunAsync(work, "init", "-q");
        return work;
    }

    /// <summary>Commits one file and returns the new commit's hash.</summary>
    public static Task<string> CommitAsync(Site site, string work, string file, string? content = null) =>
        site.Git.CommitFileAsync(work, file, content ?? $"{file} {Guid.NewGuid():N}\n", $"Change {file}");

    public static Task PushAsync(Site site, string work, string slug, params string[] refspecs) =>
        site.Git.RunAsync(work, ["push", "-q", site.Url(slug), .. refspecs]);
}
