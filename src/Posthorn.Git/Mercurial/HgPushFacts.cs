using Posthorn.Core.Payloads;

namespace Posthorn.Git.Mercurial;

/// <summary>
/// What one posthorn_hg.py "push" run found: the refs now, the old nodes of moves that were not
/// forced, and the changesets above the tips before (the newest <c>keep</c> of <see cref="Total"/>).
/// </summary>
internal sealed record HgPushFacts(
    string Directory, IReadOnlySet<string> Tips, IReadOnlyDictionary<string, string> Refs, IReadOnlySet<string> Forward,
    IReadOnlyList<HgChangeset> Newest, int Total)
{
    /// <summary>Whether these facts were read for exactly this request: same repository, same tips before, and its moves end where the refs are now.</summary>
    public bool Describe(PayloadRequest request) =>
        string.Equals(Directory, request.GitDirectory, StringComparison.Ordinal)
        && Tips.SetEquals(request.TipsBeforePush)
        && request.RefUpdates.All(u => u.IsDelete ? !Refs.ContainsKey(u.RefName) : Refs.GetValueOrDefault(u.RefName) == u.NewId);
}
