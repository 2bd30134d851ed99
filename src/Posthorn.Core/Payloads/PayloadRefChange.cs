namespace Posthorn.Core.Payloads;

/// <summary>
/// Additive <c>ref_changes[]</c> entry. <see cref="Type"/>: "branch", "tag" or "other";
/// <see cref="Action"/>: "created", "updated", "deleted" or "forced" (the old tip is not an ancestor of the new).
/// </summary>
public sealed record PayloadRefChange(string Ref, string Name, string Type, string Old, string New, string Action);
