using System.Security.Cryptography;
using System.Text;

namespace Posthorn.Storage.Sql;

/// <summary>
/// Attempts' request bodies as stored once each in request_bodies: keyed by the SHA-256 of their
/// UTF-8 text (lowercase hex), so equal bodies from any attempt, node or push share one row.
/// </summary>
internal static class RequestBodies
{
    /// <summary>The distinct bodies among <paramref name="bodies"/>, ordered by digest (a stable lock order for concurrent writers).</summary>
    public static List<(string Digest, string Body)> Of(IEnumerable<string> bodies)
    {
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<(string Digest, string Body)>();
        foreach (var body in bodies)
        {
            if (distinct.Add(body))
            {
                result.Add((Digest(body), body));
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Digest, b.Digest));
        return result;
    }

    public static string Digest(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
}
