using Posthorn.Core.Deliveries;
using Posthorn.Delivery.Sending;

namespace Posthorn.Delivery.Dispatching;

/// <summary>
/// Where an attempt leaves its delivery: succeeded; failed for good (refused target, 410 Gone, or
/// the round's retry schedule exhausted); otherwise pending again at the schedule's next time.
/// Pure apart from the random number passed in. Thread-safe.
/// </summary>
public sealed class SettlementPlanner(RetrySchedule schedule)
{
    public Settlement Plan(ClaimedDelivery claimed, SentAttempt sent, DateTimeOffset now, double random01) =>
        Decide(claimed, sent, now, random01) with
        {
            LeaseUntil = claimed.LeaseEnd,
            Round = claimed.Round,
        };

    private Settlement Decide(ClaimedDelivery claimed, SentAttempt sent, DateTimeOffset now, double random01)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        ArgumentNullException.ThrowIfNull(sent);
        var attempt = sent.Attempt;
        switch (attempt.Outcome)
        {
            case AttemptOutcome.Succeeded:
                return new Settlement(attempt, DeliveryStatus.Succeeded, null);
            case AttemptOutcome.RetryableFailure:
                // RoundAttempts counts attempts before this one; the schedule wants them including it.
                var next = schedule.NextAttemptAt(claimed.Delivery.RoundAttempts + 1, now, random01, sent.RetryAfter);
                return next is null
                    ? new Settlement(attempt, DeliveryStatus.Failed, null)
                    : new Settlement(attempt, DeliveryStatus.Pending, next);
            default:
                return new Settlement(attempt, DeliveryStatus.Failed, null);
        }
    }
}
