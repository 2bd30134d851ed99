using System.Text;

namespace Posthorn.EndToEnd.Fuzz;

/// <summary>Hostile values for a seeded fuzz run: each draw is reproducible from the seed.</summary>
public sealed class HostileInput(int seed)
{
    private static readonly string[] Strings =
    [
        "", " ", "\n", "nl\n", "a\r\nb", "\0", "x\0y", "é", "😀", "\uD800", "..", "../..", "%00", "%2e%2e%2f", "a/b", "\\", "//evil.example",
        "<script>alert(1)</script>", "' OR 1=1 --", "{", "}", "[]", "null", "true", "-1", "0", "1", "9223372036854775807",
        "99999999999999999999", "1e309", "NaN", "00000000-0000-0000-0000-000000000000", "ph_", "ph_" + new string('A', 43),
        "alice", "bob", "nobody", "fuzz", "read", "write", "admin", "none", "json", "bitbucket-post", "github",
        "http://127.0.0.1:9/hook", "https://user:pass@127.0.0.1:9/${branch}", "ftp://x", "javascript:alert(1)", "${", "${branch",
        "2025-01-01T00:00:00Z", "9999-12-31T23:59:59", "0001-01-01", "yesterday",
    ];

    private readonly Random random = new(seed);

    public Random Random => random;

    public int Next(int max) => random.Next(max);

    public bool Chance(double p) => random.NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public string String()
    {
        return random.Next(10) switch
        {
            0 => new string((char)random.Next(0x20, 0x7F), random.Next(1000, 5000)),
            1 => RandomUnicode(random.Next(1, 40)),
            2 => Pick(Strings) + Pick(Strings),
            _ => Pick(Strings),
        };
    }

    /// <summary>A value for a URL path segment, escaped so it reaches the server as that segment.</summary>
    public string Segment()
    {
        var value = String();
        try
        {
            return value.Length > 0 ? Uri.EscapeDataString(value) : "x";
        }
        catch (UriFormatException)
        {
            return "%FF";
        }
    }

    /// <summary>Form fields travel as UTF-8; a lone surrogate cannot, so it becomes U+FFFD as a browser would send it.</summary>
    public string FormValue() => String().Replace('\uD800', '\uFFFD');

    public string RandomUnicode(int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append((char)random.Next(1, 0xFFFF));
        }

        return text.ToString();
    }

    /// <summary>A JSON body: sometimes well-formed with hostile values, sometimes wrongly typed, sometimes not JSON at all.</summary>
    public string Json(IReadOnlyList<string> fields)
    {
        switch (random.Next(8))
        {
            case 0:
                return String();
            case 1:
                return "{\"" + Pick(fields) + "\":";
            case 2:
                return "[" + random.Next() + "]";
        }

        var parts = new List<string>();
        foreach (var field in fields)
        {
            if (Chance(0.6))
            {
                parts.Add($"\"{field}\":{JsonValue()}");
            }
        }

        return "{" + string.Join(",", parts) + "}";
    }

    private string JsonValue() => random.Next(7) switch
    {
        0 => "null",
        1 => random.Next(2) == 0 ? "true" : "false",
        2 => random.NextInt64(long.MinValue, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
        3 => "[" + System.Text.Json.JsonSerializer.Serialize(String()) + "]",
        4 => "{}",
        _ => System.Text.Json.JsonSerializer.Serialize(String()),
    };

    /// <summary>A body of pkt-lines: mostly well framed, with random payloads, flushes, delimiters, wrong lengths and trailing junk.</summary>
    public byte[] PktLines()
    {
        var body = new List<byte>();
        var count = random.Next(0, 8);
        for (var i = 0; i < count; i++)
        {
            switch (random.Next(10))
            {
                case 0:
                    body.AddRange("0000"u8.ToArray());
                    break;
                case 1:
                    body.AddRange("0001"u8.ToArray());
                    break;
                case 2:
                    body.AddRange(Encoding.ASCII.GetBytes(random.Next(0x10000).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                default:
                    var payload = Encoding.UTF8.GetBytes(random.Next(4) switch
                    {
                        0 => $"want {Hex()}\n",
                        1 => $"{Hex()} {Hex()} refs/heads/{String()}\0report-status\n",
                        2 => "command=" + Pick(["ls-refs", "fetch", "bogus", ""]) + "\n",
                        _ => String(),
                    });
                    if (payload.Length > 65000)
                    {
                        payload = payload[..65000];
                    }

                    body.AddRange(Encoding.ASCII.GetBytes((payload.Length + 4).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)));
                    body.AddRange(payload);
                    break;
            }
        }

        if (Chance(0.3))
        {
            body.AddRange("0009done\n"u8.ToArray());
        }

        if (Chance(0.3))
        {
            var junk = new byte[random.Next(1, 200)];
            random.NextBytes(junk);
            body.AddRange(Chance(0.5) ? [.. "PACK\0\0\0\u0002"u8.ToArray(), .. junk] : junk);
        }

        return [.. body];
    }

    private string Hex()
    {
        var bytes = new byte[20];
        random.NextBytes(bytes);
        return Chance(0.2) ? new string('0', 40) : Convert.ToHexStringLower(bytes);
    }
}
