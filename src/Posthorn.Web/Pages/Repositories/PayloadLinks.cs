using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Posthorn.Web.Pages.Repositories;

/// <summary>
/// The paths Bitbucket Cloud's documents link to, sent on to the pages that show the same thing:
/// a commit (/commits/ID), a ref's tip (/src/NAME), a branch's commits (/branch/NAME, compared with
/// the default branch) and a push's change (/branches/compare/NEW..OLD). Only a redirect: the page
/// it leads to checks access, so a private repository answers 404 there as everywhere.
/// </summary>
public static class PayloadLinks
{
    private const string Owner = "{owner:regex(^(?!(api|healthz|openapi|assets|settings|signin|signout|new)\\z)(\\w|-)+\\z)}/{slug}";

    public static IEndpointRouteBuilder MapPayloadLinks(this IEndpointRouteBuilder app)
    {
        app.MapGet($"/{Owner}/commits/{{id}}", (string owner, string slug, string id) => To(owner, slug, "commit", id));
        app.MapGet($"/{Owner}/src/{{**name}}", (string owner, string slug, string name) => To(owner, slug, "commit", name));
        app.MapGet($"/{Owner}/branch/{{**name}}", (string owner, string slug, string name) => To(owner, slug, "compare", name));
        app.MapGet($"/{Owner}/branches/compare/{{**range}}", (string owner, string slug, string range) =>
            To(owner, slug, "compare", Revisions.SplitRange(range) is { } split ? $"{split.To}...{split.From}" : range));
        return app;
    }

    private static IResult To(string owner, string slug, string page, string revision) =>
        Results.Redirect($"/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(slug)}/{page}/{string.Join('/', revision.Split('/').Select(Uri.EscapeDataString))}");
}
