using Posthorn.Core.Payloads;
using Posthorn.Core.PostServices;
using Posthorn.Core.PullRequests;

namespace Posthorn.Tests.Storage;

public abstract partial class StoreContractTests
{
    private static readonly string Src = new('1', 40);
    private static readonly string Dst = new('2', 40);

    private static NewPullRequest DraftOf(long repositoryId, string title = "Add a feature") =>
        new(repositoryId, title, "Because.", "alice", "feature", Src, "main", Dst);

    [Fact]
    public async Task CreatePullRequest_NumbersPerRepository_StartingAtOne_AndReadsBackEveryField()
    {
        var repository = await RepositoryAsync();
        var other = await RepositoryAsync("other");

        var first = await Storage.PullRequests.CreatePullRequestAsync(DraftOf(repository.Id), T0, Ct);
        var second = await Storage.PullRequests.CreatePullRequestAsync(DraftOf(repository.Id, "Second"), T0.AddMinutes(1), Ct);
        var elsewhere = await Storage.PullRequests.CreatePullRequestAsync(DraftOf(other.Id), T0, Ct);

        Assert.Equal((1, 2, 1), (first.Id, second.Id, elsewhere.Id));
        Assert.Equal(
            new PullRequest(repository.Id, 1, "Add a feature", "Because.", "alice", PullRequestState.Open, "feature", Src, "main", Dst, null, null, null, T0, T0),
            await Storage.PullRequests.FindPullRequestAsync(repository.Id, 1, Ct));
        Assert.Null(await Storage.PullRequests.FindPullRequestAsync(repository.Id, 3, Ct));
    }

    [Fact]
    public async Task ListPullRequests_NewestFirst_FilteredByState_Limited()
    {
        var repository = await RepositoryAsync();
        for (var i = 0; i < 3; i++)
        {
            await Storage.PullRequests.CreatePullRequestAsync(DraftOf(repository.Id, $"PR {i + 1}"), T0, Ct);
        }

        await Storage.PullRequests.CloseAsync(new PullRequestClosing(repository.Id, 2, PullRequestState.Declined, null, null, "bob", T0.AddHours(1)), Ct);

        Assert.Equal([3, 2, 1], (await Storage.PullRequests.ListPullRequestsAsync(repository.Id, null, 10, Ct)).Select(p => p.Id));
        Assert.Equal([3, 1], (await Storage.PullRequests.ListPullRequestsAsync(repository.Id, PullRequestState.Open, 10, Ct)).Select(p => p.Id));
        Assert.Equal([2], (await Storage.PullRequests.ListPullRequestsAsync(repository.Id, PullRequestState.Declined, 10, Ct)).Select(p => p.Id));
        Assert.Empty(await Storage.PullRequests.ListPullRequestsAsync(repository.Id, PullRequestState.Merged, 10, Ct));
        Assert.Equal([3], (await Storage.PullRequests.ListPullRequestsAsync(repository.Id, null, 1, Ct)).Select(p => p.Id));
    }

    [Fact]
    public async Task CloseAsync_MergesAnOpenPullRequestOnce_TheSecondCloseLoses()
    {
        var repository = await RepositoryAsync();
        await Storage.PullRequests.CreatePullRequestAsync(DraftOf(repository.Id), T0, Ct);
        var merge = new string('3', 40);
        var newDestination = new string('4', 40);

        var merged = await Storage.PullRequests.CloseAsync(new PullRequestClosing(repository.Id, 1, PullRequestState.Merged, merge, newDestination, "bob", T0.AddHours(1)), Ct);
        var late = await Storage.PullRequests.CloseAsync(new PullRequestClosing(repository.Id, 1, PullRequestState.Declined, null, null, "carol", T0.AddHours(2)), Ct);

        Assert.NotNull(merged);
        Assert.Equal((PullRequestState.Merged, merge, newDestination, "bob", T0.AddHours(1), T0.AddHours(1)),
            (merged.State, merged.MergeCommit, merged.DestinationCommit, merged.ClosedBy, merged.ClosedAt, merged.UpdatedAt));
        Assert.Null(late);
        Assert.Equal(merged, await Storage.PullRequests.FindPullRequestAsync(repository.Id, 1, Ct));
    }

    [Fact]
    public async Task CloseAsync_Decline_KeepsTheDestinationCommit()
    {
        var repository = await RepositoryAsync();
        await Storage.PullRequests.CreatePullRequestAsync(DraftOf(repository.Id), T0, Ct);

        var declined = await Storage.PullRequests.CloseAsync(new PullRequestClosing(repository.Id, 1, PullRequestState.Declined, null, null, "bob", T0.AddHours(1)), Ct);

        Assert.Equal((PullRequestState.Declined, Dst, (string?)null, "bob"), (declined!.State, declined.DestinationCommit, declined.MergeCommit, declined.ClosedBy));
    }

    [Fact]
    public async Task UpdateSource_MovesOnlyAnOpenPullRequest()
    {
        var repository = await RepositoryAsync();
        await Storage.PullRequests.CreatePullRequestAsync(DraftOf(repository.Id), T0, Ct);
        await Storage.PullRequests.CreatePullRequestAsync(DraftOf(repository.Id), T0, Ct);
        await Storage.PullRequests.CloseAsync(new PullRequestClosing(repository.Id, 2, PullRequestState.Declined, null, null, "bob", T0), Ct);
        var next = new string('5', 40);

        var updated = await Storage.PullRequests.UpdateSourceAsync(repository.Id, 1, next, T0.AddMinutes(5), Ct);
        var closed = await Storage.PullRequests.UpdateSourceAsync(repository.Id, 2, next, T0.AddMinutes(5), Ct);

        Assert.Equal((next, T0.AddMinutes(5), T0), (updated!.SourceCommit, updated.UpdatedAt, updated.CreatedAt));
        Assert.Null(closed);
        Assert.Equal(Src, (await Storage.PullRequests.FindPullRequestAsync(repository.Id, 2, Ct))!.SourceCommit);
    }

    [Fact]
    public async Task PullRequests_GoWithTheirRepository()
    {
        var repository = await RepositoryAsync();
        await Storage.PullRequests.CreatePullRequestAsync(DraftOf(repository.Id), T0, Ct);

        await Storage.Repositories.DeleteRepositoryAsync(repository.Id, Ct);

        Assert.Empty(await Storage.PullRequests.ListPullRequestsAsync(repository.Id, null, 10, Ct));
    }

    // Found by review: a change and its event were two transactions, so a crash between them kept the
    // change and lost its event (a merge's "fulfilled"), and a failed announcement went unnoticed.
    [Fact]
    public async Task Close_WithItsEvent_QueuesTheEventInTheSameTransaction_AndAnEventThatFailsLeavesItOpen()
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        await Storage.PullRequests.CreatePullRequestAsync(DraftOf(repository.Id), T0, Ct);
        var declining = new PullRequestClosing(repository.Id, 1, PullRequestState.Declined, null, null, "bob", T0.AddHours(1));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Storage.PullRequests.CloseAsync(declining, _ => throw new InvalidOperationException("composer broke"), Ct));
        Assert.Equal(PullRequestState.Open, (await Storage.PullRequests.FindPullRequestAsync(repository.Id, 1, Ct))!.State);
        Assert.Empty(await Deliveries.ClaimDueAsync("node-a", T0.AddHours(1), Lease, 10, Ct));

        PullRequest? composedFrom = null;
        var declined = await Storage.PullRequests.CloseAsync(declining, pr => EveryService("pullrequest:rejected", composedFrom = pr), Ct);

        Assert.Equal((PullRequestState.Declined, PullRequestState.Declined), (declined!.State, composedFrom!.State)); // composed from the pull request as closed
        var queued = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0.AddHours(1), Lease, 10, Ct));
        Assert.Equal(("pullrequest:rejected", service.Id), (queued.Delivery.Event, queued.Service.Id));
        Assert.Null(await Storage.PullRequests.CloseAsync(declining, _ => throw new InvalidOperationException("a close that changes nothing announces nothing"), Ct));
    }

    [Fact]
    public async Task RecordPush_ThatMergesAPullRequest_ClosesItAndQueuesItsEventWithThePush_OrRecordsNothing()
    {
        var repository = await RepositoryAsync();
        await ServiceAsync(repository.Id);
        await Storage.PullRequests.CreatePullRequestAsync(DraftOf(repository.Id), T0, Ct);
        var merging = new PullRequestClosing(repository.Id, 1, PullRequestState.Merged, new string('a', 40), Dst, "alice", T0.AddHours(1));
        var push = PushOf(repository.Id, T0.AddHours(1)) with { Closes = merging, ClosingAnnouncement = _ => throw new InvalidOperationException("composer broke") };

        await Assert.ThrowsAsync<InvalidOperationException>(() => Storage.Pushes.RecordPushAsync(push, Ct));
        Assert.Empty(await Storage.Pushes.ListPushesAsync(repository.Id, 10, null, Ct));
        Assert.Empty(await Storage.Pushes.GetRecordedRefsAsync(repository.Id, Ct));
        Assert.Equal(PullRequestState.Open, (await Storage.PullRequests.FindPullRequestAsync(repository.Id, 1, Ct))!.State);

        var recorded = await Storage.Pushes.RecordPushAsync(push with { ClosingAnnouncement = pr => EveryService("pullrequest:fulfilled", pr) }, Ct);

        Assert.Equal((PullRequestState.Merged, new string('a', 40), "alice"), (recorded.Closed!.State, recorded.Closed.MergeCommit, recorded.Closed.ClosedBy));
        Assert.Equal(PullRequestState.Merged, (await Storage.PullRequests.FindPullRequestAsync(repository.Id, 1, Ct))!.State);
        var events = (await Deliveries.ClaimDueAsync("node-a", T0.AddHours(1), Lease, 10, Ct)).Select(c => c.Delivery.Event).Order();
        Assert.Equal(["pullrequest:fulfilled", "push"], events);
    }

    [Fact]
    public async Task Create_WhoseStepBeforeAnnouncingFails_StoresNothing_AndAnnouncesNothing()
    {
        var repository = await RepositoryAsync();
        await ServiceAsync(repository.Id);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Storage.PullRequests.CreatePullRequestAsync(DraftOf(repository.Id), T0,
            _ => throw new InvalidOperationException("the ref could not be set"), pr => EveryService("pullrequest:created", pr), Ct));

        Assert.Empty(await Storage.PullRequests.ListPullRequestsAsync(repository.Id, null, 10, Ct));
        Assert.Empty(await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct));
        long? stepSaw = null;
        var created = await Storage.PullRequests.CreatePullRequestAsync(DraftOf(repository.Id), T0,
            pr => { stepSaw = pr.Id; return Task.CompletedTask; }, pr => EveryService("pullrequest:created", pr), Ct);
        Assert.Equal((1L, (long?)1), (created.Id, stepSaw));
        Assert.Equal("pullrequest:created", Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct)).Delivery.Event);
    }

    /// <summary>A composer giving every active service one delivery of <paramref name="eventName"/>, whatever it subscribes to.</summary>
    private static IDeliveryComposer EveryService(string eventName, PullRequest changed) => new OneEach(eventName, $"{{\"id\": {changed.Id}}}");

    private sealed class OneEach(string eventName, string payload) : IDeliveryComposer
    {
        public IReadOnlyList<ComposedDelivery> For(ServiceSubscription service) => [new ComposedDelivery(eventName, payload)];
    }
}
