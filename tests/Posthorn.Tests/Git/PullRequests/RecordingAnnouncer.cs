using System.Collections.Concurrent;
using Posthorn.Core.PullRequests;

namespace Posthorn.Tests.Git.PullRequests;

/// <summary>Tests only: notes every announced pull-request event, in order.</summary>
public sealed class RecordingAnnouncer : IPullRequestAnnouncer
{
    public ConcurrentQueue<PullRequestEvent> Events { get; } = new();

    public IEnumerable<(PullRequestEventKind Kind, long Id, string Actor)> Summary => Events.Select(e => (e.Kind, e.PullRequest.Id, e.Actor));

    public Task AnnounceAsync(PullRequestEvent pullRequestEvent, CancellationToken ct)
    {
        Events.Enqueue(pullRequestEvent);
        return Task.CompletedTask;
    }
}
