using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core;
using Posthorn.Core.PullRequests;
using Posthorn.Git.PullRequests;

namespace Posthorn.Tests.Git.PullRequests;

/// <summary>
/// What a source branch can do to a pull request besides growing: start from no shared history, move
/// between review and merge, or be reset onto the destination's history. None may merge commits nobody
/// saw, announce a merge that did not happen, or fail the page.
/// </summary>
public sealed class PullRequestSourceTests : IAsyncLifetime
{
    private PullRequestHost pr = null!;

    public async Task InitializeAsync() => pr = await PullRequestHost.StartAsync();

    public async Task DisposeAsync() => await pr.DisposeAsync();

    [Fact]
    public async Task Open_FromABranchWithNoSharedHistory_IsRefused()
    {
        PushOrphan("orphan");

        var e = await Assert.ThrowsAsync<ValidationException>(() => pr.OpenAsync("orphan"));

        Assert.Equal("source", e.Field);
        Assert.Contains("shares no history", e.Message, StringComparison.Ordinal);
        Assert.Empty(pr.Announcer.Events);
    }

    [Fact]
    public async Task SourceForcedOntoAnUnrelatedHistory_TheChangesSaySo_AndTheMergeIsRefused_NothingMoves()
    {
        await pr.OpenAsync();
        var main = pr.TipOf("refs/heads/main");
        var unrelated = PushOrphan("feature");

        var changes = await Changes().ReadAsync(pr.Bare, await pr.FindAsync(1), CancellationToken.None);
        var e = await Assert.ThrowsAsync<ConflictException>(() => MergeAsync(null));

        Assert.Equal(unrelated, (await pr.FindAsync(1)).SourceCommit);
        Assert.True(changes.Unrelated);
        Assert.Empty(changes.Conflicts);
        Assert.Contains(changes.Files, f => f.Path == "orphan.txt");
        Assert.Contains("unrelated histories", e.Message, StringComparison.Ordinal);
        Assert.Equal(main, pr.TipOf("refs/heads/main"));
        Assert.Equal(PullRequestState.Open, (await pr.FindAsync(1)).State);
    }

    [Fact]
    public async Task Merge_WithTheSourceCommitReviewed_RefusesOnceTheSourceMoved_AndMergesWhatWasReviewed()
    {
        var reviewed = (await pr.OpenAsync()).SourceCommit;
        var main = pr.TipOf("refs/heads/main");
        var sneaked = pr.CommitAndPush("feature", "sneaked.txt");

        var e = await Assert.ThrowsAsync<ConflictException>(() => MergeAsync(reviewed));

        Assert.Contains(sneaked, e.Message, StringComparison.Ordinal);
        Assert.Equal(main, pr.TipOf("refs/heads/main"));
        Assert.Equal(PullRequestState.Open, (await pr.FindAsync(1)).State);

        var merged = await MergeAsync(sneaked);

        Assert.Equal(PullRequestState.Merged, merged.State);
        Assert.Equal(sneaked, pr.Sandbox.RevParse(pr.Bare, $"{merged.MergeCommit}^2"));
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF01")]
    public async Task Merge_WithASourceCommitThatIsNotAFullId_IsRefused_NothingMoves(string expected)
    {
        await pr.OpenAsync();
        var main = pr.TipOf("refs/heads/main");

        var e = await Assert.ThrowsAsync<ValidationException>(() => MergeAsync(expected));

        Assert.Equal("source_commit", e.Field);
        Assert.Equal(main, pr.TipOf("refs/heads/main"));
    }

    [Fact]
    public async Task SourceResetOntoTheDestination_IsAnUpdate_NotAMerge()
    {
        var opened = await pr.OpenAsync();
        var main = pr.TipOf("refs/heads/main");

        pr.Sandbox.Git(pr.Work, $"push -q -f {pr.Url} {main}:refs/heads/feature");

        var after = await pr.FindAsync(1);
        Assert.Equal((PullRequestState.Open, main, (string?)null), (after.State, after.SourceCommit, after.MergeCommit));
        Assert.NotEqual(opened.SourceCommit, after.SourceCommit);
        Assert.Equal([(PullRequestEventKind.Created, 1L, "alice"), (PullRequestEventKind.Updated, 1L, "alice")], pr.Announcer.Summary);
    }

    [Fact]
    public async Task SourceAdvancedAndMergedInOnePush_IsStillMerged()
    {
        await pr.OpenAsync();
        pr.Sandbox.Git(pr.Work, "checkout -q feature");
        var next = pr.Sandbox.Commit(pr.Work, "next.txt", "next\n");
        pr.Sandbox.Git(pr.Work, "checkout -q main");
        pr.Sandbox.Git(pr.Work, "merge -q --no-ff --no-edit feature");

        pr.Sandbox.Git(pr.Work, $"push -q {pr.Url} main feature");

        var merged = await pr.FindAsync(1);
        Assert.Equal((PullRequestState.Merged, next), (merged.State, merged.MergeCommit));
        Assert.Contains((PullRequestEventKind.Fulfilled, 1L, "alice"), pr.Announcer.Summary);
    }

    [Fact]
    public async Task Changes_ADiffPastTheCap_IsCut_TheFileListStaysWhole()
    {
        var from = pr.TipOf("refs/heads/main");
        var line = new string('x', 99) + "\n";
        var to = pr.CommitAndPush("feature", "big.txt", string.Concat(Enumerable.Repeat(line, PullRequestChanges.MaxDiffChars / 50)));

        var changes = await Changes().BetweenAsync(pr.Bare, from, to, CancellationToken.None);

        Assert.True(changes.DiffTruncated);
        Assert.Equal(PullRequestChanges.MaxDiffChars, changes.Diff.Length);
        Assert.Contains(new ChangedFile("big.txt", PullRequestChanges.MaxDiffChars / 50, 0, false), changes.Files);
        Assert.Contains(changes.Files, f => f.Path == "feature.txt");
    }

    [Theory]
    [InlineData("Red \u001b[31mtitle", "Fine.", "title")]
    [InlineData("A title", "Bell \u0007 here", "description")]
    public async Task Open_WithControlCharacters_IsRefused(string title, string description, string field)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(async () => await pr.Workflow.OpenAsync(
            await pr.RepositoryAsync(), "alice", new PullRequestDraft(title, description, "feature", "main"), CancellationToken.None));

        Assert.Equal(field, e.Field);
        Assert.Empty(pr.Announcer.Events);
    }

    [Fact]
    public async Task Open_ADescriptionWithLineBreaksAndTabs_IsKept()
    {
        var opened = await pr.Workflow.OpenAsync(
            await pr.RepositoryAsync(), "alice", new PullRequestDraft("Title", "One\r\n\tTwo", "feature", "main"), CancellationToken.None);

        Assert.Equal("One\r\n\tTwo", opened.Description);
    }

    private PullRequestChanges Changes() => pr.Host.Services.GetRequiredService<PullRequestChanges>();

    private async Task<PullRequest> MergeAsync(string? expectedSource) =>
        await pr.Workflow.MergeAsync(await pr.RepositoryAsync(), 1, MergeStrategy.MergeCommit, new MergeIdentity("bob", "bob@example.com"), expectedSource, CancellationToken.None);

    /// <summary>Pushes a one-commit history that shares nothing with main to <paramref name="branch"/> (forced).</summary>
    private string PushOrphan(string branch)
    {
        pr.Sandbox.Git(pr.Work, "checkout -q --orphan orphan-work");
        pr.Sandbox.Git(pr.Work, "rm -rfq .");
        var commit = pr.Sandbox.Commit(pr.Work, "orphan.txt", "alone\n");
        pr.Sandbox.Git(pr.Work, $"push -q -f {pr.Url} orphan-work:refs/heads/{branch}");
        pr.Sandbox.Git(pr.Work, "checkout -q -f main");
        return commit;
    }
}
