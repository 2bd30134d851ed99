using System.Text.Json;
using Posthorn.Core.Deliveries;
using Posthorn.Core.Payloads;
using Posthorn.Core.PostServices;
using Posthorn.Core.PullRequests;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;

namespace Posthorn.Tests.Storage;

/// <summary>Which services get which deliveries, and the documents stored with them: events, branch filters, formats.</summary>
public abstract partial class StoreContractTests
{
    private Task<PostService> SubscribedAsync(Repository repository, PayloadFormat format, string[] events, string[] branches, bool active = true) =>
        Storage.PostServices.CreateServiceAsync(repository.Id,
            new PostServiceSettings($"https://ci.example.com/{format}", format, active, []) { Events = events, Branches = branches }, T0, Ct);

    [Fact]
    public async Task Service_RoundTripsEventsBranchesAndSignatureOptions()
    {
        var repository = await RepositoryAsync();
        var settings = new PostServiceSettings("https://ci.example.com/hook", PayloadFormat.Github, true, ["0123456789abcdef"])
        {
            Events = [ServiceEvents.Push, ServiceEvents.PullRequestFulfilled],
            Branches = ["main", "release/*"],
            StandardWebhooks = true,
            FormEncoded = true,
        };
        var created = await Storage.PostServices.CreateServiceAsync(repository.Id, settings, T0, Ct);
        var found = (await Storage.PostServices.FindServiceAsync(repository.Id, created.Id, Ct))!;

        Assert.Equal(PayloadFormat.Github, found.Format);
        Assert.Equal(["push", "pullrequest:fulfilled"], found.Events);
        Assert.Equal(["main", "release/*"], found.Branches);
        Assert.True(found.StandardWebhooks && found.FormEncoded);

        await Storage.PostServices.UpdateServiceAsync(repository.Id, created.Id, settings with { Events = ["pullrequest:created"], Branches = [], StandardWebhooks = false, FormEncoded = false }, Ct);
        found = (await Storage.PostServices.FindServiceAsync(repository.Id, created.Id, Ct))!;
        Assert.Equal(["pullrequest:created"], found.Events);
        Assert.Empty(found.Branches);
        Assert.False(found.StandardWebhooks || found.FormEncoded);

        // A service saved without naming events gets the original service's only event.
        var plain = await ServiceAsync(repository.Id);
        Assert.Equal(["push"], (await Storage.PostServices.FindServiceAsync(repository.Id, plain.Id, Ct))!.Events);
    }

    [Fact]
    public async Task AnnouncePullRequest_QueuesOneDeliveryPerSubscribedServiceWhoseFilterMatchesTheDestination()
    {
        var repository = await RepositoryAsync();
        var pushOnly = await SubscribedAsync(repository, PayloadFormat.BitbucketPost, ["push"], []);
        var merged = await SubscribedAsync(repository, PayloadFormat.BitbucketPost, ["push", "pullrequest:fulfilled"], []);
        var mergedJson = await SubscribedAsync(repository, PayloadFormat.Json, ["pullrequest:fulfilled"], ["main", "release/*"]);
        var otherBranch = await SubscribedAsync(repository, PayloadFormat.Json, ["pullrequest:fulfilled"], ["release/*"]);
        var created = await SubscribedAsync(repository, PayloadFormat.Json, ["pullrequest:created"], []);
        var cloud = await SubscribedAsync(repository, PayloadFormat.BitbucketCloud, ["pullrequest:fulfilled"], []);
        var github = await SubscribedAsync(repository, PayloadFormat.Github, ["pullrequest:fulfilled"], ["ma*"]);
        var inactive = await SubscribedAsync(repository, PayloadFormat.Json, ["pullrequest:fulfilled"], [], active: false);
        var announcer = new PullRequestAnnouncer(new CanonUrl("https://git.example.com/"));
        await Storage.PullRequests.CreatePullRequestAsync(new NewPullRequest(repository.Id, "Add feature", "Long text", "bob", "feature", new string('b', 40), "main", new string('e', 40)), T0, Ct);

        // The close and its event in one call: the store composes the event from the pull request as closed.
        var closing = new PullRequestClosing(repository.Id, 1, PullRequestState.Merged, new string('d', 40), new string('c', 40), "alice", T0.AddMinutes(5));
        var closed = await Storage.PullRequests.CloseAsync(closing, pr => announcer.Compose(new PullRequestEvent(PullRequestEventKind.Fulfilled, repository, pr, "alice", T0.AddMinutes(5))), Ct);
        Assert.Equal(PullRequestState.Merged, closed?.State);

        var claimed = await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(5), Lease, 100, Ct);
        Assert.Equal(
            new[] { merged.Id, mergedJson.Id, cloud.Id, github.Id }.Order(),
            claimed.Select(c => c.Service.Id).Order());
        Assert.DoesNotContain(claimed, c => c.Service.Id == pushOnly.Id || c.Service.Id == otherBranch.Id || c.Service.Id == created.Id || c.Service.Id == inactive.Id);
        Assert.All(claimed, c => Assert.Equal("pullrequest:fulfilled", c.Delivery.Event));
        Assert.All(claimed, c => Assert.Null(c.Delivery.PushId));

        // formats bitbucket-post and json: the push envelope plus pullrequest, field by field.
        using var original = JsonDocument.Parse(claimed.Single(c => c.Service.Id == merged.Id).Payload);
        var root = original.RootElement;
        Assert.Equal("https://git.example.com", root.GetProperty("canon_url").GetString());
        Assert.Equal("alice", root.GetProperty("user").GetString());
        Assert.Equal(repository.Slug, root.GetProperty("repository").GetProperty("slug").GetString());
        var pr = root.GetProperty("pullrequest");
        Assert.Equal(1, pr.GetProperty("id").GetInt64());
        Assert.Equal(("Add feature", "Long text", "MERGED", "bob"), (pr.GetProperty("title").GetString(), pr.GetProperty("description").GetString(), pr.GetProperty("state").GetString(), pr.GetProperty("author").GetString()));
        Assert.Equal(("feature", new string('b', 40)), (pr.GetProperty("source").GetProperty("branch").GetString(), pr.GetProperty("source").GetProperty("commit").GetString()));
        Assert.Equal(("main", new string('c', 40)), (pr.GetProperty("destination").GetProperty("branch").GetString(), pr.GetProperty("destination").GetProperty("commit").GetString()));
        Assert.Equal(new string('d', 40), pr.GetProperty("merge_commit").GetProperty("hash").GetString());
        Assert.Equal("alice", pr.GetProperty("closed_by").GetString());
        Assert.Equal("2025-01-01T12:00:00.000+00:00", pr.GetProperty("created_on").GetString());
        Assert.Equal("2025-01-01T12:05:00.000+00:00", pr.GetProperty("updated_on").GetString());
        Assert.Equal($"https://git.example.com/{repository.Owner}/{repository.Slug}/pull-requests/1", pr.GetProperty("links").GetProperty("html").GetString());
        Assert.Equal(claimed.Single(c => c.Service.Id == merged.Id).Payload, claimed.Single(c => c.Service.Id == mergedJson.Id).Payload);

        using var bitbucketCloud = JsonDocument.Parse(claimed.Single(c => c.Service.Id == cloud.Id).Payload);
        var cloudPr = bitbucketCloud.RootElement.GetProperty("pullrequest");
        Assert.Equal("alice", bitbucketCloud.RootElement.GetProperty("actor").GetProperty("nickname").GetString());
        Assert.Equal(repository.FullName, bitbucketCloud.RootElement.GetProperty("repository").GetProperty("full_name").GetString());
        Assert.Equal("feature", cloudPr.GetProperty("source").GetProperty("branch").GetProperty("name").GetString());
        Assert.Equal(new string('c', 40), cloudPr.GetProperty("destination").GetProperty("commit").GetProperty("hash").GetString());
        Assert.Equal("MERGED", cloudPr.GetProperty("state").GetString());
        Assert.Equal("alice", cloudPr.GetProperty("closed_by").GetProperty("nickname").GetString());

        using var githubDocument = JsonDocument.Parse(claimed.Single(c => c.Service.Id == github.Id).Payload);
        var ghRoot = githubDocument.RootElement;
        Assert.Equal(("closed", 1), (ghRoot.GetProperty("action").GetString(), ghRoot.GetProperty("number").GetInt32()));
        var ghPr = ghRoot.GetProperty("pull_request");
        Assert.True(ghPr.GetProperty("merged").GetBoolean());
        Assert.Equal(new string('d', 40), ghPr.GetProperty("merge_commit_sha").GetString());
        Assert.Equal(("feature", "main"), (ghPr.GetProperty("head").GetProperty("ref").GetString(), ghPr.GetProperty("base").GetProperty("ref").GetString()));
        Assert.Equal("closed", ghPr.GetProperty("state").GetString());
    }

    [Fact]
    public async Task AnnouncePullRequest_WithNoSubscriber_QueuesNothing()
    {
        var repository = await RepositoryAsync();
        await ServiceAsync(repository.Id);
        var announcer = new PullRequestAnnouncer(new CanonUrl("https://git.example.com"));

        await Storage.PullRequests.CreatePullRequestAsync(new NewPullRequest(repository.Id, "t", "", "bob", "feature", new string('b', 40), "main", new string('c', 40)), T0, null,
            pr => announcer.Compose(new PullRequestEvent(PullRequestEventKind.Created, repository, pr, "bob", T0)), Ct);

        Assert.Empty(await Deliveries.ClaimDueAsync("node-a", T0, Lease, 100, Ct));
    }

    [Fact]
    public async Task RecordPush_WithComposer_StoresEachDeliverysOwnDocument_AndNoneForTheSharedOne()
    {
        var repository = await RepositoryAsync();
        var shared = await SubscribedAsync(repository, PayloadFormat.BitbucketPost, ["push"], []);
        var split = await SubscribedAsync(repository, PayloadFormat.Github, ["push"], []);
        var notPush = await SubscribedAsync(repository, PayloadFormat.Json, ["pullrequest:created"], []);

        var recorded = await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0, "{\"shared\":true}") with { Composer = new TwoForGithub() }, Ct);

        Assert.Equal(3, recorded.DeliveryIds.Count);
        var claimed = await Deliveries.ClaimDueAsync("node-a", T0, Lease, 100, Ct);
        Assert.Equal("{\"shared\":true}", claimed.Single(c => c.Service.Id == shared.Id).Payload);
        Assert.Equal(["{\"ref\":1}", "{\"ref\":2}"], claimed.Where(c => c.Service.Id == split.Id).Select(c => c.Payload).Order());
        Assert.DoesNotContain(claimed, c => c.Service.Id == notPush.Id);
        Assert.All(claimed, c => Assert.Equal((DeliveryEvents.Push, recorded.Push.Id), (c.Delivery.Event, c.Delivery.PushId!.Value)));
    }

    private sealed class TwoForGithub : IDeliveryComposer
    {
        public IReadOnlyList<ComposedDelivery> For(ServiceSubscription service) =>
            !service.Subscribes(ServiceEvents.Push) ? []
            : service.Format == PayloadFormat.Github ? [new("push", "{\"ref\":1}"), new("push", "{\"ref\":2}")]
            : [new("push", null)];
    }
}
