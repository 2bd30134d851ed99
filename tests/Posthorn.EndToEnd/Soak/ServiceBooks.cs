namespace Posthorn.EndToEnd.Soak;

/// <summary>
/// One POST service's side of the books: what the API says about its deliveries, and what its
/// receiver actually accepted (2xx). Samples list up to ten offending items for a post-mortem.
/// </summary>
public sealed record ServiceBooks(
    string Name,
    string Format,
    int DeliveriesExpected,
    int DeliveriesListed,
    int Succeeded,
    int VisiblyFailed,
    int Pending,
    int PushesWithoutDelivery,
    int Receptions,
    int AcceptedReceptions,
    int CommitsAnnounced,
    int ReachableCommitsAnnounced,
    int CommitsUnannounced,
    int CommitsBeyondPayloadCap,
    int RecoveredPayloads,
    int DuplicateReceptions,
    int DuplicatesWithDifferentBody,
    int IdChangingDuplicates,
    IReadOnlyList<string> UnannouncedSample,
    IReadOnlyList<string> IdChangingSample);
