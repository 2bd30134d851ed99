using System.Globalization;
using Posthorn.Core.Deliveries;

namespace Posthorn.Web.Pages.Shared;

/// <summary>How times, ids and outcomes read on the pages: one place, so every page says them the same way.</summary>
public static class Display
{
    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    /// <summary>The machine-readable value for a time element's datetime attribute.</summary>
    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static string ShortId(string objectId) => objectId.Length > 12 ? objectId[..12] : objectId;

    public static string Outcome(AttemptOutcome? outcome) => outcome switch
    {
        null => "none yet",
        AttemptOutcome.Succeeded => "succeeded",
        AttemptOutcome.RetryableFailure => "failed (will retry)",
        AttemptOutcome.PermanentFailure => "failed (permanent)",
        _ => "gone (410)",
    };

    public static string Status(DeliveryStatus status) => Api.DeliveryView.StatusName(status);

    public static string Milliseconds(TimeSpan duration) => duration.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
