using Posthorn.Core.Payloads;
using Posthorn.Core.Pushes;

namespace Posthorn.Git.SmartHttp;

/// <summary>
/// The payload of a push, built while receive-pack finishes. When the reference-transaction hook
/// reports the moves as prepared, they are journaled and git's objects are already in place
/// (receive-pack moves them out of quarantine before it touches a ref), so the payload can be
/// built then, beside git's commit of the refs, instead of after it. It is used only if the moves
/// read from disk afterwards are exactly the ones it was built for (same refs, ids and order);
/// otherwise — an aborted transaction, anything else — the payload is built after, as before. Only a
/// request with a single ref command is built ahead: a non-atomic push of several refs commits each
/// in a transaction of its own, so the first "prepared" is not the whole push.
/// Thread-safe (the hook calls in on another thread).
/// </summary>
/// <param name="singleCommand">Whether the request carries exactly one ref command (asked when git prepares, once it has read them).</param>
internal sealed class PayloadAhead(PushIntake intake, RefsMoved template, IReadOnlyDictionary<string, string> before, Func<bool> singleCommand)
{
    private readonly Lock gate = new();
    private int transactions;
    private IReadOnlyList<RefUpdate>? expected;
    private Task<BuiltPayload>? building;

    /// <summary>Called after the moves of a prepared transaction were journaled.</summary>
    public void Prepared(IReadOnlyList<RefUpdate> journaled)
    {
        lock (gate)
        {
            if (++transactions > 1 || !singleCommand())
            {
                return;
            }

            // What the diff will say if git makes exactly these moves: same refs, same ids, same order.
            var after = new Dictionary<string, string>(before, StringComparer.Ordinal);
            foreach (var update in journaled)
            {
                if (update.IsDelete)
                {
                    after.Remove(update.RefName);
                }
                else
                {
                    after[update.RefName] = update.NewId;
                }
            }

            expected = RefDiff.Between(before, after);
            var moved = template with { Updates = expected };

            // Off the hook's thread: git waits for "ok", not for the payload.
            building = Task.Run(() => intake.BuildPayloadAsync(moved, CancellationToken.None));
        }
    }

    /// <summary>The payload built ahead if <paramref name="updates"/> (the moves really made) are the ones it was built for, else null.</summary>
    public Task<BuiltPayload>? For(IReadOnlyList<RefUpdate> updates)
    {
        lock (gate)
        {
            if (building is null)
            {
                return null;
            }

            if (transactions == 1 && expected!.SequenceEqual(updates))
            {
                return building;
            }

            // Not used: let it finish on its own, its failure observed and dropped.
            _ = building.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return null;
        }
    }
}
