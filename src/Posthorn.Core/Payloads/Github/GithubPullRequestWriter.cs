using System.Text.Json;
using Posthorn.Core.PullRequests;

namespace Posthorn.Core.Payloads.Github;

/// <summary>
/// GitHub's <c>pull_request</c> document. <c>action</c>: created → "opened", updated → "synchronize",
/// merged or declined → "closed" (with <c>pull_request.merged</c> telling which).
/// </summary>
public static class GithubPullRequestWriter
{
    public static string Action(PullRequestEventKind kind) => kind switch
    {
        PullRequestEventKind.Created => "opened",
        PullRequestEventKind.Updated => "synchronize",
        _ => "closed",
    };

    public static string Write(PullRequestEvent pullRequestEvent, string canonUrl)
    {
        ArgumentNullException.ThrowIfNull(pullRequestEvent);
        var pr = pullRequestEvent.PullRequest;
        var repository = pullRequestEvent.Repository;
        var merged = pr.State == PullRequestState.Merged;
        return JsonText.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("action", Action(pullRequestEvent.Kind));
            w.WriteNumber("number", pr.Id);
            w.WriteStartObject("pull_request");
            w.WriteString("url", $"{RepositoryLinks.Api(canonUrl, repository)}/pullrequests/{pr.Id}");
            w.WriteString("html_url", RepositoryLinks.PullRequest(canonUrl, repository, pr.Id));
            w.WriteNumber("number", pr.Id);
            w.WriteString("state", pr.State == PullRequestState.Open ? "open" : "closed");
            w.WriteString("title", pr.Title);
            w.WriteString("body", pr.Description);
            GithubJson.WriteUser(w, "user", pr.Author);
            w.WriteString("created_at", GithubJson.Time(pr.CreatedAt));
            w.WriteString("updated_at", GithubJson.Time(pr.UpdatedAt));
            WriteTime(w, "closed_at", pr.State == PullRequestState.Open ? null : pr.ClosedAt);
            WriteTime(w, "merged_at", merged ? pr.ClosedAt : null);
            if (merged && pr.MergeCommit is { } merge)
            {
                w.WriteString("merge_commit_sha", merge);
            }
            else
            {
                w.WriteNull("merge_commit_sha");
            }

            w.WriteBoolean("merged", merged);
            if (merged && pr.ClosedBy is { Length: > 0 } by)
            {
                GithubJson.WriteUser(w, "merged_by", by);
            }
            else
            {
                w.WriteNull("merged_by");
            }

            if (pullRequestEvent.Commits is { } commits)
            {
                w.WriteNumber("commits", commits);
            }

            WriteEnd(w, "head", repository.Owner, pr.SourceBranch, pr.SourceCommit);
            WriteEnd(w, "base", repository.Owner, pr.DestinationBranch, pr.DestinationCommit);
            w.WriteEndObject();
            GithubJson.WriteRepository(w, repository, canonUrl, null);
            GithubJson.WriteUser(w, "sender", pullRequestEvent.Actor);
            w.WriteEndObject();
        });
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? at)
    {
        if (at is { } value)
        {
            w.WriteString(name, GithubJson.Time(value));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteEnd(Utf8JsonWriter w, string name, string owner, string branch, string sha)
    {
        w.WriteStartObject(name);
        w.WriteString("label", $"{owner}:{branch}");
        w.WriteString("ref", branch);
        w.WriteString("sha", sha);
        w.WriteEndObject();
    }
}
