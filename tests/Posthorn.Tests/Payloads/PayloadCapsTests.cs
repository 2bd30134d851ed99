using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Posthorn.Core.Payloads;
using Posthorn.Core.PostServices;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;
using Posthorn.Delivery.Sending;
using Posthorn.Git.Commits;
using Posthorn.Tests.Git;

namespace Posthorn.Tests.Payloads;

/// <summary>
/// The payload's byte caps, on real repositories: 50 commits with 4 MiB messages once took the
/// server to 2.5 GB and sent a 210 MB POST. Messages are cut while git streams them, and the
/// document as POSTed in either format never exceeds Payload:MaxBytes.
/// </summary>
[Collection(MemoryMeasurements.Name)]
public sealed class PayloadCapsTests : IDisposable
{
    private static readonly Repository Repo = new(1, "marcus", "project-x", "Project X", true, false, "", "git", DateTimeOffset.UnixEpoch);

    private readonly GitSandbox sandbox = new();

    public void Dispose() => sandbox.Dispose();

    private async Task<(JsonElement Json, BuiltPayload Built)> BuildAsync(string gitDirectory, PayloadOptions options, IReadOnlyCollection<string> tipsBefore, params RefUpdate[] updates)
    {
        var builder = new PushPayloadBuilder(sandbox.Runner, new EmailLookup(new Dictionary<string, string>()), Options.Create(options), NullLogger<PushPayloadBuilder>.Instance);
        var built = await builder.BuildAsync(new PayloadRequest(Repo, gitDirectory, "marcus", updates, tipsBefore, "https://posthorn.example"), CancellationToken.None);
        return (JsonDocument.Parse(built.Json).RootElement, built);
    }

    /// <summary>A commit on <paramref name="parent"/> whose message is exactly <paramref name="message"/>'s bytes.</summary>
    private string CraftCommit(string work, string parent, byte[] message) => CraftCommit(work, parent, file => file.Write(message));

    private string CraftCommit(string work, string parent, Action<Stream> writeMessage)
    {
        var tree = sandbox.RevParse(work, "HEAD^{tree}");
        var path = sandbox.PathOf("raw-" + Guid.NewGuid().ToString("N"));
        using (var file = File.Create(path))
        {
            file.Write(Encoding.UTF8.GetBytes($"tree {tree}\nparent {parent}\nauthor A <a@example.com> 1338350336 +0200\ncommitter C <c@example.com> 1338350336 +0200\n\n"));
            writeMessage(file);
        }

        return sandbox.Git(work, $"hash-object -t commit -w --literally {path}").Stdout.Trim();
    }

    [Theory]
    [InlineData("é", 1025, 1024)]
    [InlineData("日", 1024, 1023)]
    [InlineData("😀", 1026, 1024)]
    [InlineData("a", 1024, 1024)]
    public async Task MessageOverMaxMessageBytes_IsCutOnACharacterBoundary_AndFlagged(string character, int cap, int expectedBytes)
    {
        var work = sandbox.NewWorkTree("work", "a.txt");
        var parent = sandbox.RevParse(work, "HEAD");
        var longOne = CraftCommit(work, parent, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(character, 5000))));
        var shortOne = CraftCommit(work, longOne, Encoding.UTF8.GetBytes("short\n"));

        var (json, _) = await BuildAsync(work + "/.git", new PayloadOptions { MaxMessageBytes = cap }, [parent], new RefUpdate("refs/heads/main", parent, shortOne));

        var commits = json.GetProperty("commits");
        var message = commits[0].GetProperty("message").GetString()!;
        Assert.Equal(expectedBytes, Encoding.UTF8.GetByteCount(message));
        Assert.DoesNotContain('\uFFFD', message);
        Assert.True(commits[0].GetProperty("message_truncated").GetBoolean());
        Assert.Equal("short\n", commits[1].GetProperty("message").GetString());
        Assert.False(commits[1].GetProperty("message_truncated").GetBoolean());
    }

    [Fact]
    public async Task HundredMegabyteMessage_IsNeverHeldInMemory()
    {
        var work = sandbox.NewWorkTree("work", "a.txt");
        var parent = sandbox.RevParse(work, "HEAD");
        // Written in chunks: a 100 MB array here would itself disturb tests measuring the heap beside this one.
        var chunk = new byte[1024 * 1024];
        chunk.AsSpan().Fill((byte)'x');
        var commit = CraftCommit(work, parent, file =>
        {
            for (var i = 0; i < 100; i++)
            {
                file.Write(chunk);
            }
        });
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);

        var (json, _) = await BuildAsync(work + "/.git", new PayloadOptions(), [parent], new RefUpdate("refs/heads/main", parent, commit));

        // Holding the message once as text would allocate 200 MB (UTF-16) on top of its bytes.
        var used = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        Assert.True(used < 64L * 1024 * 1024, $"building allocated {used / 1048576} MiB");
        Assert.Equal(64 * 1024, json.GetProperty("commits")[0].GetProperty("message").GetString()!.Length);
        Assert.True(json.GetProperty("commits")[0].GetProperty("message_truncated").GetBoolean());
    }

    [Fact]
    public async Task DocumentOverMaxBytes_DropsTheOldestCommits_KeepsTheTrueCount_AndFitsInEitherFormat()
    {
        var work = sandbox.NewWorkTree("work", "a.txt");
        var before = sandbox.RevParse(work, "HEAD");
        var tip = before;
        var hashes = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            tip = CraftCommit(work, tip, Encoding.UTF8.GetBytes($"Commit {i} " + new string('ü', 4000) + "\n"));
            hashes.Add(tip);
        }

        var options = new PayloadOptions { MaxBytes = 64 * 1024 };
        var (json, built) = await BuildAsync(work + "/.git", options, [before], new RefUpdate("refs/heads/main", before, tip));

        var listed = json.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("raw_node").GetString()!).ToList();
        Assert.InRange(listed.Count, 1, 29);
        Assert.Equal(hashes[^listed.Count..], listed);
        Assert.Equal(30, built.CommitCount);
        Assert.Equal(30, json.GetProperty("commit_count").GetInt32());
        Assert.True(json.GetProperty("truncated").GetBoolean());
        Assert.False(json.GetProperty("ref_changes_truncated").GetBoolean());
        // Each commit takes ~24 KiB form-encoded (ü is 2 bytes, %C3%BC on the wire): two fit, a third would not.
        Assert.Equal(2, listed.Count);
        Assert.InRange(PayloadBody.For(PayloadFormat.BitbucketPost, built.Json).Bytes.Length, options.MaxBytes / 2, options.MaxBytes);
        Assert.True(PayloadBody.For(PayloadFormat.Json, built.Json).Bytes.Length <= options.MaxBytes);
    }

    [Fact]
    public async Task ThousandsOfRefChanges_ListIsCappedWithItsOwnFlag_AndNeverExceedsMaxBytes()
    {
        var work = sandbox.NewWorkTree("work", "a.txt");
        var head = sandbox.RevParse(work, "HEAD");
        var updates = Enumerable.Range(0, 3000).Select(i => new RefUpdate($"refs/tags/release-{i:0000}", RefUpdate.ZeroId, head)).ToArray();
        var options = new PayloadOptions { MaxBytes = 16 * 1024 };

        var (json, built) = await BuildAsync(work + "/.git", options, [head], updates);

        var changes = json.GetProperty("ref_changes").EnumerateArray().ToList();
        Assert.InRange(changes.Count, 1, 2999);
        Assert.Equal("refs/tags/release-0000", changes[0].GetProperty("ref").GetString());
        Assert.Equal(3000, json.GetProperty("ref_change_count").GetInt32());
        Assert.True(json.GetProperty("ref_changes_truncated").GetBoolean());
        Assert.True(PayloadBody.For(PayloadFormat.BitbucketPost, built.Json).Bytes.Length <= options.MaxBytes);
    }

    [Theory]
    [InlineData("plain ascii-_.~ text")]
    [InlineData("naïve 日本 😀 {\"q\":\"\\n\\u0001\"} + & = % /")]
    public void WireSize_IsExactlyTheFormBodysLength(string text)
    {
        var json = JsonSerializer.Serialize(new { message = text }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        Assert.Equal(PayloadBody.For(PayloadFormat.BitbucketPost, json).Bytes.Length, PayloadWireSize.Prefix + PayloadWireSize.Of(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData(nameof(PayloadOptions.MaxMessageBytes), 1023)]
    [InlineData(nameof(PayloadOptions.MaxMessageBytes), 16 * 1024 * 1024 + 1)]
    [InlineData(nameof(PayloadOptions.MaxBytes), 16 * 1024 - 1)]
    [InlineData(nameof(PayloadOptions.MaxBytes), 64 * 1024 * 1024 + 1)]
    public void Validate_RefusesOutOfRangeByteCaps(string property, int value)
    {
        var options = new PayloadOptions();
        typeof(PayloadOptions).GetProperty(property)!.SetValue(options, value);

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(property, error.ParamName);
    }
}
