using System.Collections.Concurrent;
using System.Text.Json;
using Posthorn.Storage.Secrets;

namespace Posthorn.Storage.Sql;

/// <summary>
/// The claim path's memo of decrypted service columns, keyed by the stored ciphertext: a busy node
/// claims the same few services' rows thousands of times a second, and Data Protection's decrypt
/// (key derivation, HMAC, AES) was a measurable share of a claim. A ciphertext always decrypts to the
/// same text, and a changed URL or secret list is a new ciphertext, so entries never go stale; the
/// memo is dropped whole when it grows past <see cref="Capacity"/>. It holds what every claimed
/// delivery already carries in memory while it is sent. Values that fail to decrypt are not kept.
/// Thread-safe.
/// </summary>
internal sealed class RevealedColumns(SecretColumns secrets)
{
    private const int Capacity = 4_096;

    private readonly ConcurrentDictionary<string, string> urls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string[]> secretLists = new(StringComparer.Ordinal);

    public string Url(string stored) => Memo(urls, stored, SecretColumns.UnreadableUrl, plain => plain);

    public string[] Secrets(string stored) => Memo(secretLists, stored, "[]", plain => JsonSerializer.Deserialize<string[]>(plain) ?? []);

    private TValue Memo<TValue>(ConcurrentDictionary<string, TValue> memo, string stored, string fallback, Func<string, TValue> parse)
    {
        if (memo.TryGetValue(stored, out var known))
        {
            return known;
        }

        string plain;
        try
        {
            plain = secrets.Reveal(stored);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return parse(fallback);
        }

        var value = parse(plain);
        if (memo.Count >= Capacity)
        {
            memo.Clear();
        }

        memo[stored] = value;
        return value;
    }
}
