namespace Posthorn.Core.Pushes;

/// <summary>
/// One ref moved by a push, as git actually applied it. Object ids are full 40-character hex;
/// a created ref has an all-zero <see cref="OldId"/>, a deleted one an all-zero <see cref="NewId"/>.
/// </summary>
public sealed record RefUpdate(string RefName, string OldId, string NewId)
{
    public const string ZeroId = "0000000000000000000000000000000000000000";

    public bool IsCreate => OldId == ZeroId;

    public bool IsDelete => NewId == ZeroId;

    public bool IsBranch => RefName.StartsWith("refs/heads/", StringComparison.Ordinal);

    public bool IsTag => RefName.StartsWith("refs/tags/", StringComparison.Ordinal);

    /// <summary>"main" for refs/heads/main, "v1" for refs/tags/v1, the full name otherwise.</summary>
    public string ShortName =>
        IsBranch ? RefName["refs/heads/".Length..] : IsTag ? RefName["refs/tags/".Length..] : RefName;
}
