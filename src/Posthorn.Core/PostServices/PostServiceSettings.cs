namespace Posthorn.Core.PostServices;

/// <summary>The administrator-editable part of a post service (create and update).</summary>
public sealed record PostServiceSettings(
    string Url,
    PayloadFormat Format,
    bool IsActive,
    IReadOnlyList<string> Secrets)
{
    /// <summary>The events subscribed to (<see cref="ServiceEvents"/>); default push only.</summary>
    public IReadOnlyList<string> Events { get; init; } = ServiceEvents.Default;

    /// <summary>Branch globs (<see cref="BranchFilter"/>); empty, the default, means every branch and tag.</summary>
    public IReadOnlyList<string> Branches { get; init; } = [];

    /// <summary>
    /// Also send Standard Webhooks headers with a format that has its own signature (github,
    /// bitbucket-cloud). The original formats always sign with Standard Webhooks when a secret is set.
    /// Default false.
    /// </summary>
    public bool StandardWebhooks { get; init; }

    /// <summary>Format github only: send GitHub's form variant (payload= form-encoded) instead of a JSON body. Default false.</summary>
    public bool FormEncoded { get; init; }
}
