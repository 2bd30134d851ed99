using Posthorn.Core.PullRequests;

namespace Posthorn.Web.Api;

public sealed record PullRequestBranchView(string Branch, string Commit);

public sealed record MergeCommitView(string Hash);

public sealed record PullRequestLinksView(string Html);

/// <summary>A pull request as the API shows it (snake_case on the wire); <see cref="ClosedBy"/> is null while open or when nobody can be named.</summary>
public sealed record PullRequestView(
    long Id, string Title, string Description, string State, string Author, PullRequestBranchView Source, PullRequestBranchView Destination,
    MergeCommitView? MergeCommit, string? ClosedBy, DateTimeOffset? ClosedOn, DateTimeOffset CreatedOn, DateTimeOffset UpdatedOn, PullRequestLinksView Links)
{
    public static PullRequestView Of(PullRequest p, string owner, string slug, string canonUrl) => new(
        p.Id, p.Title, p.Description, p.State.ToName(), p.Author,
        new PullRequestBranchView(p.SourceBranch, p.SourceCommit), new PullRequestBranchView(p.DestinationBranch, p.DestinationCommit),
        p.MergeCommit is { } hash ? new MergeCommitView(hash) : null, string.IsNullOrEmpty(p.ClosedBy) ? null : p.ClosedBy, p.ClosedAt,
        p.CreatedAt, p.UpdatedAt, new PullRequestLinksView($"{canonUrl.TrimEnd('/')}/{owner}/{slug}/pull-requests/{p.Id}"));
}
