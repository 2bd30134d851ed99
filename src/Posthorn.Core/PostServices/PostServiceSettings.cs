namespace Posthorn.Core.PostServices;

/// <summary>The administrator-editable part of a post service (create and update).</summary>
public sealed record PostServiceSettings(
    string Url,
    PayloadFormat Format,
    bool IsActive,
    IReadOnlyList<string> Secrets);
