using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;
using Posthorn.Web.Hosting;
using Posthorn.Web.Pages.Shared;

namespace Posthorn.Web.Pages.Repositories;

/// <summary>A repository's overview: clone URL, default branch, the latest pushes, and any failing service.</summary>
public sealed class ShowModel(IPushStore pushes, IRepositoryFolders folders, IOptions<ServerOptions> server) : RepositoryPageModel
{
    public const int PushCount = 20;

    public string CloneUrl { get; private set; } = "";

    public string? DefaultBranch { get; private set; }

    public IReadOnlyList<Push> Pushes { get; private set; } = [];

    /// <summary>Paging: show pushes older than this push id (?before=ID).</summary>
    [BindProperty(SupportsGet = true, Name = "before")]
    public long? Before { get; set; }

    public bool IsMercurial => Repository.Scm == Scms.Mercurial;

    /// <summary>The link to the next, older page; null on the last page.</summary>
    public string? OlderPath => Pushes.Count == PushCount ? $"/{Repository.Owner}/{Repository.Slug}?before={Pushes[^1].Id}" : null;

    public async Task<IActionResult> OnGetAsync(string owner, string slug)
    {
        if (await AdmitAsync(owner, slug, Permission.Read) is { } denied)
        {
            return denied;
        }

        CloneUrl = server.Value.CloneUrl(Repository);
        // Mercurial's default branch is always named "default".
        DefaultBranch = IsMercurial ? "default" : await ReadDefaultBranchAsync();
        Pushes = await pushes.ListPushesAsync(Repository.Id, PushCount, Before, HttpContext.RequestAborted);
        return Page();
    }

    /// <summary>
    /// HEAD of a bare repository is "ref: refs/heads/NAME" (gitrepository-layout(5)); reading the file
    /// avoids starting a git process for every page view.
    /// </summary>
    private async Task<string?> ReadDefaultBranchAsync()
    {
        var head = Path.Combine(folders.PathOf(Repository.Owner, Repository.Slug), "HEAD");
        if (!System.IO.File.Exists(head))
        {
            return null;
        }

        var text = (await System.IO.File.ReadAllTextAsync(head, HttpContext.RequestAborted)).Trim();
        const string prefix = "ref: refs/heads/";
        return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : null;
    }
}
