using System.Text;
using System.Text.RegularExpressions;
using Posthorn.Git.Refs;

namespace Posthorn.Git.Commits;

/// <summary>
/// A commit object's bytes read into the fields <see cref="CommitLog"/>'s git log format prints
/// (%H %P %an %ae %at %ad %T %cn %ce %ct %cd %B), giving exactly git's text or nothing: anything git
/// might print differently (an encoding to convert from, headers out of order, an ident with extra
/// spaces or brackets, a timestamp with leading zeros, a zone of -0000, a NUL) gives null, and git is
/// asked instead.
/// </summary>
internal static partial class RawCommit
{
    /// <summary>Longer headers (a huge name, a signature) are left to git, so no field ever meets a token cap.</summary>
    private const int MaxHeaderBytes = 16 * 1024;

    private static readonly Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: false);

    /// <summary>The fields and whether the message was cut, or null when only git can say what it would print.</summary>
    public static (string[] Fields, bool MessageTruncated)? Read(string id, byte[] raw, int maxMessageBytes)
    {
        var end = raw.AsSpan().IndexOf("\n\n"u8);
        if (end < 0 || end > MaxHeaderBytes || raw.AsSpan().Contains((byte)0))
        {
            return null; // no message, or a NUL where git would stop reading
        }

        // Names are decoded as git log's output is: UTF-8 with replacement, split at ASCII delimiters.
        var lines = Utf8.GetString(raw, 0, end).Split('\n');
        if (!lines[0].StartsWith("tree ", StringComparison.Ordinal))
        {
            return null;
        }

        var tree = lines[0][5..];
        var next = 1;
        var parents = new List<string>();
        while (next < lines.Length && lines[next].StartsWith("parent ", StringComparison.Ordinal))
        {
            parents.Add(lines[next++][7..]);
        }

        if (next + 1 >= lines.Length
            || !lines[next].StartsWith("author ", StringComparison.Ordinal) || !lines[next + 1].StartsWith("committer ", StringComparison.Ordinal)
            || Ident(lines[next][7..]) is not { } author || Ident(lines[next + 1][10..]) is not { } committer
            || !RefName.IsObjectId(tree) || !parents.All(p => RefName.IsObjectId(p)))
        {
            return null;
        }

        // Later headers (gpgsig, mergetag and their continuation lines) print nothing here, but a
        // second tree/parent/author/committer or an encoding to convert from is git's to read.
        foreach (var line in lines.Skip(next + 2))
        {
            if (line.StartsWith("encoding ", StringComparison.Ordinal) || line.StartsWith("tree ", StringComparison.Ordinal)
                || line.StartsWith("parent ", StringComparison.Ordinal) || line.StartsWith("author ", StringComparison.Ordinal)
                || line.StartsWith("committer ", StringComparison.Ordinal))
            {
                return null;
            }
        }

        var message = NulTokenReader.Cut(raw.AsSpan(end + 2), maxMessageBytes);
        string[] fields =
        [
            id, string.Join(' ', parents), author.Name, author.Email, author.Seconds, author.Raw, tree,
            committer.Name, committer.Email, committer.Seconds, committer.Raw, message.Text,
        ];
        return (fields, message.Truncated);
    }

    /// <summary>"Name &lt;email&gt; seconds ±hhmm", exactly: what every git splits the same way.</summary>
    private static (string Name, string Email, string Seconds, string Raw)? Ident(string line)
    {
        if (IdentPattern().Match(line) is not { Success: true } m)
        {
            return null;
        }

        var seconds = m.Groups["s"].Value;
        var zone = m.Groups["z"].Value;
        if ((seconds.Length > 1 && seconds[0] == '0') || zone == "-0000")
        {
            return null; // git prints the parsed number: no leading zeros, and -0000 as +0000
        }

        return (m.Groups["n"].Value, m.Groups["e"].Value, seconds, $"{seconds} {zone}");
    }

    // git trims ASCII whitespace around the name and splits at the first '<' and the last '>': a
    // name that neither starts nor ends with it and holds no bracket, and an e-mail with neither,
    // split the same way in every version.
    [GeneratedRegex(@"^(?<n>[^<> \t\n\v\f\r](?:[^<>]*[^<> \t\n\v\f\r])?) <(?<e>[^<> \t\n\v\f\r]*)> (?<s>[0-9]{1,10}) (?<z>[+-][0-9]{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentPattern();
}
