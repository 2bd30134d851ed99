namespace Posthorn.Web.Hosting;

/// <summary>Where this server lives, as the command line configured it.</summary>
public sealed class ServerOptions
{
    /// <summary>Base URL people and payloads see (clone URLs, canon_url), no trailing slash. Default: the first listen URL.</summary>
    public string PublicUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Root of everything stored on disk (SQLite file, repositories). Default ./data.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// The addresses POST deliveries leave from, published at /api/meta so receivers can allow them
    /// through firewalls (users of the original service asked for this). Configured by the operator,
    /// who knows the NAT; default: none published.
    /// </summary>
    public IList<string> OutboundAddresses { get; } = [];

    /// <summary>
    /// IP addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto headers are
    /// believed (the client address for throttling, HTTPS for the cookie's Secure flag).
    /// Default: none, and the headers are ignored from everyone.
    /// </summary>
    public IList<string> KnownProxies { get; } = [];

    public string CloneUrl(string owner, string slug) => $"{PublicUrl}/{owner}/{slug}.git";

    /// <summary>git clones {owner}/{slug}.git; Mercurial talks to the repository's own URL.</summary>
    public string CloneUrl(Posthorn.Core.Repositories.Repository repository) =>
        repository.Scm == Posthorn.Core.Repositories.Scms.Mercurial ? $"{PublicUrl}/{repository.Owner}/{repository.Slug}" : CloneUrl(repository.Owner, repository.Slug);
}
