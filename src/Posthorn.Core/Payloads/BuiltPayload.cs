namespace Posthorn.Core.Payloads;

/// <summary>
/// The payload JSON document (format bitbucket-post's) and the true number of new commits (which may
/// exceed those listed). <see cref="Facts"/> are what it was written from, for the other formats and
/// for branch-filtered services; null when the builder has none, and then every service gets <see cref="Json"/>.
/// </summary>
public sealed record BuiltPayload(string Json, int CommitCount)
{
    public PushPayload? Facts { get; init; }
}
