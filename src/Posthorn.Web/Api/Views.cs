using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;

namespace Posthorn.Web.Api;

// The API's response shapes (snake_case on the wire). Secrets never appear: URLs are masked and
// signing secrets are reported only by count.
public sealed record RepositoryView(
    string Owner, string Slug, string Name, string FullName, bool IsPrivate, bool Fork, string Website, string Scm,
    string CloneUrl, DateTimeOffset CreatedAt, string Permission)
{
    public static RepositoryView Of(Repository r, Permission permission, string cloneUrl) =>
        new(r.Owner, r.Slug, r.Name, r.FullName, r.IsPrivate, r.IsFork, r.Website, r.Scm, cloneUrl, r.CreatedAt, permission.ToString().ToLowerInvariant());
}

public sealed record RefUpdateView(string Ref, string Old, string New);

/// <summary>A push as the API shows it; <see cref="Pusher"/> is null for a recovered push nobody can be named for.</summary>
public sealed record PushView(long Id, string? Pusher, DateTimeOffset PushedAt, int CommitCount, bool Recovered, IReadOnlyList<RefUpdateView> RefUpdates)
{
    public static PushView Of(Push p) =>
        new(p.Id, p.Pusher == PushIntake.UnknownPusher ? null : p.Pusher, p.PushedAt, p.CommitCount, p.Recovered, [.. p.RefUpdates.Select(u => new RefUpdateView(u.RefName, u.OldId, u.NewId))]);
}

public sealed record HealthView(
    string? LastOutcome, DateTimeOffset? LastAttemptAt, int ConsecutiveFailures, DateTimeOffset? PausedUntil,
    DateTimeOffset? DisabledAt, string? DisabledReason, string State);

public sealed record ServiceView(
    long Id, string Url, string Format, bool Active, int SecretCount, HealthView Health, DateTimeOffset CreatedAt,
    IReadOnlyList<string> Events, IReadOnlyList<string> Branches, bool StandardWebhooks, bool FormEncoded)
{
    public static ServiceView Of(PostService s, DateTimeOffset now) => new(
        s.Id, ServiceUrl.Mask(s.Url), s.Format.ToName(), s.IsActive, s.Secrets.Count,
        new HealthView(
            s.Health.LastOutcome is { } o ? OutcomeName(o) : null, s.Health.LastAttemptAt, s.Health.ConsecutiveFailures,
            s.Health.PausedUntil, s.Health.DisabledAt, s.Health.DisabledReason, StateOf(s, now)),
        s.CreatedAt, s.Events, s.Branches, s.StandardWebhooks, s.FormEncoded);

    public static string StateOf(PostService s, DateTimeOffset now) =>
        !s.IsActive ? "inactive" : s.Health.IsDisabled ? "disabled" : s.Health.IsPausedAt(now) ? "paused" : s.Health.ConsecutiveFailures > 0 ? "failing" : "healthy";

    public static string OutcomeName(AttemptOutcome o) => o switch
    {
        AttemptOutcome.Succeeded => "succeeded",
        AttemptOutcome.RetryableFailure => "retryable_failure",
        AttemptOutcome.PermanentFailure => "permanent_failure",
        _ => "gone",
    };
}

public sealed record DeliveryView(
    Guid Id, string Event, long? PushId, string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt,
    DateTimeOffset? CompletedAt, int? LastResponseStatus, string? LastError)
{
    public static DeliveryView Of(Core.Deliveries.Delivery d) => new(
        d.Id, d.Event, d.PushId, StatusName(d.Status), d.AttemptCount, d.CreatedAt,
        d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null, d.CompletedAt, d.LastResponseStatus, d.LastError);

    public static string StatusName(DeliveryStatus s) => s.ToString().ToLowerInvariant();

    /// <summary>Reads a status filter as <see cref="StatusName"/> writes it (any case; a defined number is accepted too).</summary>
    public static bool TryParseStatus(string? text, out DeliveryStatus status) =>
        Enum.TryParse(text, ignoreCase: true, out status) && Enum.IsDefined(status);
}

public sealed record AttemptRequestView(string Url, string Headers, string Body);

public sealed record AttemptResponseView(int? Status, string? Headers, string? Body);

public sealed record AttemptView(
    int Number, string Node, DateTimeOffset StartedAt, double DurationMs, string Outcome, string? Error,
    AttemptRequestView Request, AttemptResponseView Response)
{
    public static AttemptView Of(Attempt a) => new(
        a.Number, a.NodeId, a.StartedAt, Math.Round(a.Duration.TotalMilliseconds, 1), ServiceView.OutcomeName(a.Outcome), a.Error,
        new AttemptRequestView(ServiceUrl.Mask(a.RequestUrl), a.RequestHeaders, a.RequestBody), // masked again: attempts stored before a masking rule keep what they had
        new AttemptResponseView(a.ResponseStatus, a.ResponseHeaders, a.ResponseBody));
}

public sealed record DeliveryDetailView(DeliveryView Delivery, IReadOnlyList<AttemptView> Attempts);
