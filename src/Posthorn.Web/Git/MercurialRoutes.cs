using Posthorn.Git.Mercurial;

namespace Posthorn.Web.Git;

/// <summary>
/// Mercurial's HTTP URLs: hg talks to the repository's own URL, /{owner}/{slug}, naming the wire
/// command in the query (?cmd=capabilities, ?cmd=getbundle, ?cmd=unbundle...). The repository page
/// lives at the same path and never has "cmd", so the query tells them apart.
/// </summary>
public static class MercurialRoutes
{
    public static bool TryMatch(HttpRequest request, out string owner, out string slug)
    {
        owner = slug = "";
        var segments = (request.Path.Value ?? "").Trim('/').Split('/');
        if (segments.Length != 2 || segments[0] == "api" || !HgWireCommand.IsWireRequest(request))
        {
            return false;
        }

        (owner, slug) = (segments[0], segments[1]);
        return true;
    }
}
