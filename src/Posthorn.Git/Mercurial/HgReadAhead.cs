using Posthorn.Core.Payloads;

namespace Posthorn.Git.Mercurial;

/// <summary>
/// Hands the facts <see cref="HgPushHandler"/> read after hgweb (one Python process for refs,
/// changesets and ancestry) to <see cref="HgPayloadBuilder"/>, which <c>PushIntake.RecordAsync</c>
/// calls further down the same async flow, so the payload costs no second process. Flows with the
/// call (AsyncLocal), never across pushes; the builder uses it only if it describes its request.
/// </summary>
internal static class HgReadAhead
{
    private static readonly AsyncLocal<HgPushFacts?> Current = new();

    public static IDisposable Offer(HgPushFacts facts)
    {
        Current.Value = facts;
        return new Withdrawal();
    }

    public static HgPushFacts? For(PayloadRequest request) =>
        Current.Value is { } facts && facts.Describe(request) ? facts : null;

    private sealed class Withdrawal : IDisposable
    {
        public void Dispose() => Current.Value = null;
    }
}
