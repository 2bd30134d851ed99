namespace Posthorn.Core.Payloads;

/// <summary>The document as written, and how many commits and ref changes it lists after the byte cap.</summary>
public sealed record WrittenPayload(string Json, int CommitsListed, int RefChangesListed);
