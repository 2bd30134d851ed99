using System.Globalization;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Web.Api;

namespace Posthorn.Cli;

/// <summary>A service as `service list` and `service show` print it: its state, and in words why it is not healthy.</summary>
public sealed record ServiceStatus(PostService Service, DateTimeOffset At, string State, int Queued, string? Problem)
{
    /// <summary>Counting stops here: "1000+" says enough about a backlog.</summary>
    public const int QueuedCountLimit = 1000;

    public static async Task<ServiceStatus> ReadAsync(IDeliveryStore deliveries, PostService service, DateTimeOffset now, CancellationToken ct)
    {
        var queued = (await deliveries.ListDeliveriesAsync(service.Id, DeliveryStatus.Pending, QueuedCountLimit, null, ct)).Count;
        var state = ServiceView.StateOf(service, now);
        string? problem = null;
        if (state == "disabled")
        {
            problem = service.Health.DisabledReason;
        }
        else if (service.Health.ConsecutiveFailures > 0)
        {
            // The newest delivery's last error is the reason of the last failure (a later success would have reset the count).
            var newest = await deliveries.ListDeliveriesAsync(service.Id, null, 1, null, ct);
            problem = newest.Count > 0 ? newest[0].LastError ?? (newest[0].LastResponseStatus is { } code ? $"HTTP {code}" : null) : null;
        }

        return new ServiceStatus(service, now, state, queued, problem);
    }

    public IReadOnlyList<string> Row() =>
    [
        Service.Id.ToString(CultureInfo.InvariantCulture), State, State == "paused" ? CliOutput.Time(Service.Health.PausedUntil) : "-",
        Service.Health.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture), QueuedText, Service.Format.ToName(), ServiceUrl.Mask(Service.Url), Problem ?? "-",
    ];

    public IEnumerable<(string Label, string Value)> Fields()
    {
        yield return ("id", Service.Id.ToString(CultureInfo.InvariantCulture));
        yield return ("url", ServiceUrl.Mask(Service.Url));
        yield return ("format", Service.Format.ToName());
        yield return ("secrets", Service.Secrets.Count.ToString(CultureInfo.InvariantCulture));
        yield return ("active", Service.IsActive ? "yes" : "no");
        yield return ("events", string.Join(", ", Service.Events));
        yield return ("branches", Service.Branches.Count == 0 ? "all" : string.Join(", ", Service.Branches));
        yield return ("signatures", Service.Secrets.Count == 0 ? "none (no secret)" : Service.SignsStandardWebhooks ? "Standard Webhooks" : "the format's own");
        if (Service.Format == PayloadFormat.Github)
        {
            yield return ("body", Service.FormEncoded ? "form (payload=)" : "JSON");
        }

        yield return ("state", State);
        if (State == "paused")
        {
            yield return ("paused until", CliOutput.Time(Service.Health.PausedUntil));
        }

        if (State == "disabled")
        {
            yield return ("disabled at", CliOutput.Time(Service.Health.DisabledAt));
        }

        yield return ("failures", Service.Health.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture));
        yield return ("last attempt", CliOutput.Time(Service.Health.LastAttemptAt));
        yield return ("queued", QueuedText);
        if (Problem is not null)
        {
            yield return (State == "disabled" ? "why" : "last error", Problem);
        }
    }

    public object ToJson() => new { Service = ServiceView.Of(Service, At), Queued, Problem };

    private string QueuedText => Queued >= QueuedCountLimit ? $"{QueuedCountLimit}+" : Queued.ToString(CultureInfo.InvariantCulture);
}
