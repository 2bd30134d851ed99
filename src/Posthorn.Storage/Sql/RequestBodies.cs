using System.Security.Cryptography;
using System.Text;

namespace Posthorn.Storage.Sql;

/// <summary>
/// Attempts' request bodies as stored once each in request_bodies: keyed by the SHA-256 of their
/// UTF-8 text (lowercase hex), so equal bodies from any attempt, node or push share one row.
/// </summary>
internal static class RequestBodies
{
    /// <summary>
    /// The distinct bodies among <paramref name="bodies"/>, ordered by digest (a stable lock order for
    /// concurrent writers), and for each of <paramref name="bodies"/> the position of its text in
    /// that list. A batch's attempts mostly share one string instance per body (the sender keeps one
    /// per encoded body), so instances are matched first: hashing a few KB of text for every attempt
    /// was a visible share of a settlement's CPU. Equal text in different instances still shares a row.
    /// </summary>
    public static (List<(string Digest, string Body)> Distinct, int[] IndexOf) Of(IReadOnlyList<string> bodies)
    {
        var byInstance = new Dictionary<string, int>(ReferenceEqualityComparer.Instance);
        var byText = new Dictionary<string, int>(StringComparer.Ordinal);
        var distinct = new List<(string Digest, string Body)>();
        var found = new int[bodies.Count];
        for (var i = 0; i < bodies.Count; i++)
        {
            var body = bodies[i];
            if (!byInstance.TryGetValue(body, out var k))
            {
                if (!byText.TryGetValue(body, out k))
                {
                    k = distinct.Count;
                    distinct.Add((Digest(body), body));
                    byText.Add(body, k);
                }

                byInstance.Add(body, k);
            }

            found[i] = k;
        }

        var order = Enumerable.Range(0, distinct.Count).ToArray();
        Array.Sort(order, (a, b) => string.CompareOrdinal(distinct[a].Digest, distinct[b].Digest));
        var sortedAt = new int[distinct.Count];
        for (var position = 0; position < order.Length; position++)
        {
            sortedAt[order[position]] = position;
        }

        for (var i = 0; i < found.Length; i++)
        {
            found[i] = sortedAt[found[i]];
        }

        return ([.. order.Select(k => distinct[k])], found);
    }

    public static string Digest(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
}
