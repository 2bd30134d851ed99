namespace Posthorn.Core.Payloads;

/// <summary>A changed path; <see cref="Type"/> is "added", "modified" or "removed".</summary>
public sealed record PayloadFile(string File, string Type);
