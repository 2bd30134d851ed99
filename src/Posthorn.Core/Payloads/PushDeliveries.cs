using Posthorn.Core.Payloads.BitbucketCloud;
using Posthorn.Core.Payloads.Github;
using Posthorn.Core.PostServices;
using Posthorn.Core.Pushes;

namespace Posthorn.Core.Payloads;

/// <summary>
/// What one push sends to each service, written from the push's facts once per distinct format and
/// branch filter (a repository's services mostly share both):
/// <list type="bullet">
/// <item>not subscribed to "push": nothing;</item>
/// <item>a branch filter: only the matching branches' ref changes and the commits listed under them;
/// nothing when no matching branch changed (so a tag-only push reaches unfiltered services only);</item>
/// <item>bitbucket-post/json without a filter: the push's own stored document (null payload, stored once);</item>
/// <item>bitbucket-cloud: one document with a change per branch or tag;</item>
/// <item>github: one document per changed branch or tag; like GitHub, tags are not announced when a
/// push changes more than <see cref="GithubMaxTags"/> of them.</item>
/// </list>
/// When the builder gave no facts, every subscribed service whose filter matches a changed branch
/// gets the push's own document. Not thread-safe (one push, one caller).
/// </summary>
public sealed class PushDeliveries(BuiltPayload built, IReadOnlyList<RefUpdate> updates) : IDeliveryComposer
{
    /// <summary>GitHub: "Events will not be created for tags when more than three tags are pushed at once."</summary>
    public const int GithubMaxTags = 3;

    private static readonly IReadOnlyList<ComposedDelivery> PushOwnDocument = [new(ServiceEvents.Push, null)];

    private readonly Dictionary<string, IReadOnlyList<ComposedDelivery>> written = new(StringComparer.Ordinal);
    private CommitGraph? graph;

    public IReadOnlyList<ComposedDelivery> For(ServiceSubscription service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (!service.Subscribes(ServiceEvents.Push))
        {
            return [];
        }

        var key = $"{(int)service.Format}\n{string.Join('\n', service.Branches)}";
        if (!written.TryGetValue(key, out var deliveries))
        {
            deliveries = Compose(service.Format, BranchFilter.Of(service.Branches));
            written[key] = deliveries;
        }

        return deliveries;
    }

    private IReadOnlyList<ComposedDelivery> Compose(PayloadFormat format, BranchFilter filter)
    {
        if (built.Facts is not { } facts)
        {
            return filter.IsEmpty || updates.Any(u => u.IsBranch && filter.Matches(u.ShortName)) ? PushOwnDocument : [];
        }

        var changes = filter.IsEmpty ? facts.RefChanges : facts.RefChanges.Where(c => c.Type == "branch" && filter.Matches(c.Name)).ToList();
        if (changes.Count == 0)
        {
            return [];
        }

        graph ??= new CommitGraph(facts.Commits);
        return format switch
        {
            PayloadFormat.BitbucketCloud => changes.Any(c => BitbucketCloudPushWriter.Announced(c.Type))
                ? [new(ServiceEvents.Push, BitbucketCloudPushWriter.Write(facts, changes, graph))]
                : [],
            PayloadFormat.Github => GithubRefs(changes).Select(c => new ComposedDelivery(ServiceEvents.Push, GithubPushWriter.Write(facts, c, graph, facts.RefChanges))).ToList(),
            _ when filter.IsEmpty => PushOwnDocument,
            _ => [new(ServiceEvents.Push, PushPayloadWriter.Write(Filtered(facts, changes), facts.MaxBytes).Json)],
        };
    }

    private static IEnumerable<PayloadRefChange> GithubRefs(IReadOnlyList<PayloadRefChange> changes)
    {
        var tags = changes.Count(c => c.Type == "tag");
        return changes.Where(c => c.Type == "branch" || (c.Type == "tag" && tags <= GithubMaxTags));
    }

    /// <summary>
    /// The facts narrowed to the matching branches: their ref changes and the commits listed under them.
    /// commit_count counts those commits, plus, when the push listed fewer commits than it had, the ones
    /// it did not list (which branch they belong to is not known), so it is then an upper bound and truncated is set.
    /// </summary>
    private static PushPayload Filtered(PushPayload facts, IReadOnlyList<PayloadRefChange> changes)
    {
        var names = changes.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var commits = facts.Commits.Where(c => names.Contains(c.Branch)).ToList();
        var unlisted = Math.Max(0, facts.CommitCount - facts.Commits.Count);
        return facts with { Commits = commits, RefChanges = changes, CommitCount = commits.Count + unlisted };
    }
}
