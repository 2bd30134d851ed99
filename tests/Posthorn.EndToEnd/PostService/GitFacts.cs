using System.Globalization;
using System.Text;
using System.Text.Json;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.PostService;

/// <summary>
/// What git itself says about commits, in the payload's vocabulary, so every expected value in
/// the payload tests comes from `git rev-list`, `git log`, `git cat-file` and `git diff-tree`
/// run on the pushing clone rather than from hard-coded hashes.
/// </summary>
public sealed class GitFacts(GitCli git, string work)
{
    /// <summary>Full hashes of the remote's tips right now (`git ls-remote`): what was reachable before a push.</summary>
    public async Task<IReadOnlyList<string>> RemoteTipsAsync(string url)
    {
        var text = await git.RunAsync(work, "ls-remote", url);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).Distinct()];
    }

    /// <summary>Commits reachable from <paramref name="tip"/> and from none of <paramref name="excluded"/>, oldest first.</summary>
    public async Task<IReadOnlyList<string>> NewCommitsAsync(string tip, IEnumerable<string> excluded)
    {
        string[] args = ["rev-list", "--topo-order", "--reverse", tip, .. excluded.Select(e => "^" + e)];
        return Lines(await git.RunAsync(work, args));
    }

    public async Task<string> RevParseAsync(string rev) => (await git.RunAsync(work, "rev-parse", rev)).Trim();

    /// <summary>The payload commit object git describes for <paramref name="hash"/>, pushed to <paramref name="branch"/>.</summary>
    public async Task<ExpectedCommit> CommitAsync(string hash, string branch, IReadOnlyDictionary<string, string>? usernames = null)
    {
        var fields = (await git.RunAsync(work, "log", "-1", "--no-show-signature", "--format=%H%x00%P%x00%an%x00%ae%x00%ai%x00%at", hash)).TrimEnd('\n').Split('\0');
        var parents = fields[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var raw = await git.RunAsync(work, "cat-file", "commit", hash);
        var message = raw[(raw.IndexOf("\n\n", StringComparison.Ordinal) + 2)..];
        string[] diff = parents.Length == 0
            ? ["diff-tree", "-r", "--root", "--no-commit-id", "--no-renames", "--name-status", "-z", hash]
            : ["diff-tree", "-r", "--no-commit-id", "--no-renames", "--name-status", "-z", parents[0], hash];
        var tokens = (await git.RunAsync(work, diff)).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var files = new List<(string File, string Type)>();
        for (var i = 0; i + 1 < tokens.Length; i += 2)
        {
            files.Add((tokens[i + 1], tokens[i] switch { "A" => "added", "D" => "removed", _ => "modified" }));
        }

        var email = fields[3];
        var name = fields[2];
        var utc = DateTimeOffset.FromUnixTimeSeconds(long.Parse(fields[5], CultureInfo.InvariantCulture));
        return new ExpectedCommit(
            fields[0], [.. parents.Select(p => p[..12])],
            usernames is not null && usernames.TryGetValue(email, out var user) ? user : name,
            $"{name} <{email}>", branch, message,
            fields[4][..19], utc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "+00:00", files);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>One commit as the payload must list it.</summary>
public sealed record ExpectedCommit(
    string RawNode, IReadOnlyList<string> Parents, string Author, string RawAuthor, string Branch, string Message,
    string Timestamp, string UtcTimestamp, IReadOnlyList<(string File, string Type)> Files)
{
    /// <summary>Asserts every field of the payload's commit object, seed fields and additive ones.</summary>
    public void AssertMatches(JsonElement actual)
    {
        Assert.Equal(RawNode, actual.GetProperty("raw_node").GetString());
        Assert.Equal(RawNode[..12], actual.GetProperty("node").GetString());
        Assert.Equal(Parents, actual.GetProperty("parents").EnumerateArray().Select(p => p.GetString()!).ToList());
        Assert.Equal(Author, actual.GetProperty("author").GetString());
        Assert.Equal(RawAuthor, actual.GetProperty("raw_author").GetString());
        Assert.Equal(Branch, actual.GetProperty("branch").GetString());
        Assert.Equal(Message, actual.GetProperty("message").GetString());
        Assert.Equal(Timestamp, actual.GetProperty("timestamp").GetString());
        Assert.Equal(UtcTimestamp, actual.GetProperty("utctimestamp").GetString());
        Assert.Equal(JsonValueKind.Null, actual.GetProperty("revision").ValueKind);
        Assert.Equal(-1, actual.GetProperty("size").GetInt32());
        var files = actual.GetProperty("files").EnumerateArray().Select(f => (f.GetProperty("file").GetString()!, f.GetProperty("type").GetString()!)).ToList();
        Assert.Equal(Files, files);
        Assert.Equal(Files.Count, actual.GetProperty("file_count").GetInt32());
        Assert.False(actual.GetProperty("files_truncated").GetBoolean());
    }
}

/// <summary>Decodes what a receiver got into the payload document, whichever format was used.</summary>
public static class ReceivedPayload
{
    public static JsonElement Of(ReceivedRequest request)
    {
        var type = request.Header("content-type");
        if (type.StartsWith("application/json", StringComparison.Ordinal))
        {
            return JsonDocument.Parse(request.Body).RootElement.Clone();
        }

        Assert.StartsWith("application/x-www-form-urlencoded", type, StringComparison.Ordinal);
        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Encoding.ASCII.GetString(request.Body));
        var payload = Assert.Single(form);
        Assert.Equal("payload", payload.Key);
        return JsonDocument.Parse(payload.Value.ToString()).RootElement.Clone();
    }
}
