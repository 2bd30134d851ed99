using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Posthorn.Core.Payloads;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;
using Posthorn.Git.Commits;
using Posthorn.Tests.Git;

namespace Posthorn.Tests.Payloads;

/// <summary>
/// Commits git accepts (receive-pack does not fsck by default) whose author line is no ordinary
/// date: each used to make the builder throw, so the push got 503 for ever. Each is written with
/// `git hash-object -t commit --literally -w` into a temporary bare repository; expected local
/// times are what `git log --format=%ai` prints for it (git 2.39), or the epoch where git shows that.
/// </summary>
public sealed class CraftedCommitTests : IDisposable
{
    private static readonly Repository Repo = new(1, "marcus", "project-x", "Project X", true, false, "", "git", DateTimeOffset.UnixEpoch);

    private readonly GitSandbox sandbox = new();

    public void Dispose() => sandbox.Dispose();

    [Theory]
    [InlineData("Far Future <ff@example.com> 253402300800 +0000", "Far Future <ff@example.com>", "10000-01-01 00:00:00", "10000-01-01 00:00:00+00:00", "253402300800 +0000")]
    [InlineData("Overflow <o@example.com> 99999999999999999999999 +0000", "Overflow <o@example.com>", "1970-01-01 00:00:00", "1970-01-01 00:00:00+00:00", "99999999999999999999999 +0000")]
    [InlineData("Negative <n@example.com> -5 +0000", "Negative <n@example.com>", "1970-01-01 00:00:00", "1970-01-01 00:00:00+00:00", "")]
    [InlineData("No Date <d@example.com>", "No Date <d@example.com>", "1970-01-01 00:00:00", "1970-01-01 00:00:00+00:00", "")]
    [InlineData("Big Zone <z@example.com> 1338350336 +9999", "Big Zone <z@example.com>", "2012-06-03 08:37:56", "2012-05-30 03:58:56+00:00", "1338350336 +9999")]
    [InlineData("Big Zone <z@example.com> 1338350336 -9999", "Big Zone <z@example.com>", "2012-05-25 23:19:56", "2012-05-30 03:58:56+00:00", "1338350336 -9999")]
    [InlineData("Huge Zone <z@example.com> 1338350336 +99999999", "Huge Zone <z@example.com>", "2126-06-28 20:37:56", "2012-05-30 03:58:56+00:00", "1338350336 +99999999")]
    [InlineData("Bad Zone <z@example.com> 1338350336 junk", "Bad Zone <z@example.com>", "1970-01-01 00:00:00", "1970-01-01 00:00:00+00:00", "")]
    [InlineData("No Brackets b@example.com 5 +0000", " <>", "1970-01-01 00:00:00", "1970-01-01 00:00:00+00:00", "")]
    // git reads the commit as a C string: the header ends at the NUL, so git knows no author at all.
    [InlineData("Nul\0Inside <nul@example.com> 1338350336 +0200", " <>", "1970-01-01 00:00:00", "1970-01-01 00:00:00+00:00", "")]
    [InlineData("Ordinary <o@example.com> 1338350336 +0200", "Ordinary <o@example.com>", "2012-05-30 05:58:56", "2012-05-30 03:58:56+00:00", null)]
    public async Task CommitGitAccepts_IsListed_WithGitsDateOrTheRawText(string authorLine, string rawAuthor, string timestamp, string utc, string? rawTimestamp)
    {
        var bare = sandbox.PathOf("crafted.git");
        Directory.CreateDirectory(bare);
        sandbox.Git(bare, "init -q --bare");
        var tree = sandbox.Git(bare, "hash-object -t tree -w --stdin").Stdout.Trim();
        var file = sandbox.PathOf("commit");
        File.WriteAllBytes(file, Encoding.UTF8.GetBytes($"tree {tree}\nauthor {authorLine}\ncommitter C <c@example.com> 1338350336 +0200\n\nCrafted\n"));
        var commit = sandbox.Git(bare, $"hash-object -t commit -w --literally {file}").Stdout.Trim();
        var builder = new PushPayloadBuilder(sandbox.Runner, new EmailLookup(new Dictionary<string, string>()), Options.Create(new PayloadOptions()), NullLogger<PushPayloadBuilder>.Instance);

        var built = await builder.BuildAsync(
            new PayloadRequest(Repo, bare, "marcus", [new RefUpdate("refs/heads/main", RefUpdate.ZeroId, commit)], [], "https://posthorn.example"),
            CancellationToken.None);

        var listed = Assert.Single(JsonDocument.Parse(built.Json).RootElement.GetProperty("commits").EnumerateArray());
        Assert.Equal(commit, listed.GetProperty("raw_node").GetString());
        Assert.Equal(rawAuthor, listed.GetProperty("raw_author").GetString());
        Assert.Equal(timestamp, listed.GetProperty("timestamp").GetString());
        Assert.Equal(utc, listed.GetProperty("utctimestamp").GetString());
        Assert.Equal(rawTimestamp, listed.TryGetProperty("raw_timestamp", out var raw) ? raw.GetString() : null);
        Assert.Equal(1, built.CommitCount);
    }
}
