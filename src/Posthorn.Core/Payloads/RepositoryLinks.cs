using System.Security.Cryptography;
using System.Text;
using Posthorn.Core.Repositories;

namespace Posthorn.Core.Payloads;

/// <summary>
/// The URLs and stable identities the Bitbucket Cloud and GitHub documents state. Their receivers
/// key on ids (a repository's uuid, a hook's uuid), so each is derived from Posthorn's own id and
/// never changes: a name-based UUID (RFC 9562 §5.5, SHA-1) in Posthorn's own namespace.
/// </summary>
public static class RepositoryLinks
{
    private static readonly Guid Namespace = new("6f1c1a5e-3b1d-4f7e-9c55-2a8d7e0b9a11");

    public static string Html(string canonUrl, Repository repository) => $"{PayloadJson.CanonUrl(canonUrl)}/{repository.Owner}/{repository.Slug}";

    /// <summary>git clones {owner}/{slug}.git; Mercurial talks to the repository's own URL (as the clone URL on its page).</summary>
    public static string Clone(string canonUrl, Repository repository) =>
        repository.Scm == Scms.Mercurial ? Html(canonUrl, repository) : Html(canonUrl, repository) + ".git";

    public static string Api(string canonUrl, Repository repository) => $"{PayloadJson.CanonUrl(canonUrl)}/api/repos/{repository.Owner}/{repository.Slug}";

    /// <summary>Where a pull request's page is.</summary>
    public static string PullRequest(string canonUrl, Repository repository, long id) => $"{Html(canonUrl, repository)}/pull-requests/{id}";

    /// <summary>A stable UUID for a Posthorn object: <paramref name="kind"/> ("repository", "service", "user") and its id or name.</summary>
    public static Guid StableUuid(string kind, string key)
    {
        var name = Encoding.UTF8.GetBytes($"posthorn:{kind}:{key}");
        var input = new byte[16 + name.Length];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input, 16);
        var hash = SHA1.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>Bitbucket Cloud's spelling of a uuid: in braces.</summary>
    public static string Braced(Guid uuid) => "{" + uuid.ToString("D") + "}";
}
