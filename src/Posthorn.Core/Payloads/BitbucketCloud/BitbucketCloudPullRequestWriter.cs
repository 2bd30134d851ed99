using System.Text.Json;
using Posthorn.Core.PullRequests;

namespace Posthorn.Core.Payloads.BitbucketCloud;

/// <summary>Bitbucket Cloud's <c>pullrequest:created|updated|fulfilled|rejected</c> document: <c>actor</c>, <c>repository</c>, <c>pullrequest</c>.</summary>
public static class BitbucketCloudPullRequestWriter
{
    public static string Write(PullRequestEvent pullRequestEvent, string canonUrl)
    {
        ArgumentNullException.ThrowIfNull(pullRequestEvent);
        var pr = pullRequestEvent.PullRequest;
        var repository = pullRequestEvent.Repository;
        return JsonText.Write(w =>
        {
            w.WriteStartObject();
            BitbucketCloudJson.WriteUser(w, "actor", pullRequestEvent.Actor);
            BitbucketCloudJson.WriteRepository(w, repository, canonUrl);
            w.WriteStartObject("pullrequest");
            w.WriteString("type", "pullrequest");
            w.WriteNumber("id", pr.Id);
            w.WriteString("title", pr.Title);
            w.WriteString("description", pr.Description);
            w.WriteString("state", PullRequestPayloadWriter.StateName(pr.State));
            BitbucketCloudJson.WriteUser(w, "author", pr.Author);
            WriteEnd(w, "source", pr.SourceBranch, pr.SourceCommit);
            WriteEnd(w, "destination", pr.DestinationBranch, pr.DestinationCommit);
            PullRequestPayloadWriter.WriteMergeCommit(w, pr.MergeCommit);

            if (pr.ClosedBy is { } closedBy)
            {
                BitbucketCloudJson.WriteUser(w, "closed_by", closedBy);
            }
            else
            {
                w.WriteNull("closed_by");
            }

            w.WriteString("created_on", BitbucketCloudJson.Time(pr.CreatedAt));
            w.WriteString("updated_on", BitbucketCloudJson.Time(pr.UpdatedAt));
            w.WriteStartObject("links");
            BitbucketCloudJson.WriteHref(w, "self", $"{RepositoryLinks.Api(canonUrl, repository)}/pullrequests/{pr.Id}");
            BitbucketCloudJson.WriteHref(w, "html", RepositoryLinks.PullRequest(canonUrl, repository, pr.Id));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static void WriteEnd(Utf8JsonWriter w, string name, string branch, string commit)
    {
        w.WriteStartObject(name);
        w.WriteStartObject("branch");
        w.WriteString("name", branch);
        w.WriteEndObject();
        w.WriteStartObject("commit");
        w.WriteString("hash", commit);
        w.WriteString("type", "commit");
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
