using System.Globalization;

namespace Posthorn.Core.Payloads;

/// <summary>
/// A commit's author date as the payload writes it. git stores "seconds ±hhmm" and accepts
/// commits whose date no DateTimeOffset holds (years past 9999, seconds past 64 bits, zones like
/// +9999, no date at all), so the arithmetic here is git's own (date.c: local = seconds + the zone's
/// hours*60+minutes) on 64-bit seconds and the proleptic Gregorian calendar. A date git cannot read
/// becomes the Unix epoch, as git log shows it. <see cref="Raw"/> is set, for the additive
/// <c>raw_timestamp</c>, whenever the timestamps are not an ordinary date.
/// </summary>
public sealed record PayloadDate(string Timestamp, string UtcTimestamp, string? Raw)
{
    /// <summary>
    /// ISO 8601 with the commit's own offset ("2026-11-29T10:00:00+01:00"), as GitHub's and Bitbucket
    /// Cloud's documents state dates; in UTC ("+00:00") when the date is not an ordinary one (<see cref="Raw"/> set).
    /// </summary>
    public string Iso { get; init; } = "";

    private const long SecondsPerDay = 86_400;

    /// <param name="seconds">git's %at: the seconds as written, or "" when git could not read the date.</param>
    /// <param name="raw">git's %ad with --date=raw: "seconds ±zone" (the zone as written), or "".</param>
    public static PayloadDate FromGit(string seconds, string raw)
    {
        var zoneText = raw.Contains(' ', StringComparison.Ordinal) ? raw[(raw.LastIndexOf(' ') + 1)..] : "";
        var readable = long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var utc);
        var zoned = TryZoneMinutes(zoneText, out var minutes, out var ordinaryZone);
        if (!readable)
        {
            utc = 0;
        }

        var local = zoned && long.MaxValue - utc >= minutes * 60 ? utc + (minutes * 60) : utc;
        var (utcText, utcOrdinary) = Format(utc);
        var (localText, localOrdinary) = Format(local);
        var ordinary = readable && ordinaryZone && utcOrdinary && localOrdinary;
        var iso = ordinary
            ? localText.Replace(' ', 'T') + zoneText[..3] + ":" + zoneText[3..]
            : utcText.Replace(' ', 'T') + "+00:00";
        return new PayloadDate(localText, utcText + "+00:00", ordinary ? null : (seconds + " " + zoneText).Trim()) { Iso = iso };
    }

    /// <summary>git's reading of a zone: sign, then digits read as hhmm (hours may exceed 99, minutes 59).</summary>
    private static bool TryZoneMinutes(string zone, out long minutes, out bool ordinary)
    {
        minutes = 0;
        ordinary = false;
        if (zone.Length is < 2 or > 10 || zone[0] is not ('+' or '-')
            || !long.TryParse(zone.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var digits))
        {
            return false;
        }

        minutes = ((digits / 100 * 60) + (digits % 100)) * (zone[0] == '-' ? -1 : 1);
        ordinary = zone.Length == 5 && digits % 100 < 60 && Math.Abs(minutes) <= 14 * 60;
        return true;
    }

    /// <summary>yyyy-MM-dd HH:mm:ss for any seconds; years past 9999 get more digits, as git prints them.</summary>
    private static (string Text, bool Ordinary) Format(long seconds)
    {
        var days = Math.DivRem(seconds, SecondsPerDay, out var second);
        if (second < 0)
        {
            days--;
            second += SecondsPerDay;
        }

        var (year, month, day) = CivilFromDays(days);
        var text = string.Create(CultureInfo.InvariantCulture, $"{year:0000}-{month:00}-{day:00} {second / 3600:00}:{second / 60 % 60:00}:{second % 60:00}");
        return (text, year is >= 1 and <= 9999);
    }

    /// <summary>Days since 1970-01-01 to a Gregorian date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").</summary>
    private static (long Year, int Month, int Day) CivilFromDays(long days)
    {
        days += 719_468;
        var era = (days >= 0 ? days : days - 146_096) / 146_097;
        var dayOfEra = days - (era * 146_097);
        var yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36_524) - (dayOfEra / 146_096)) / 365;
        var dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
        var shiftedMonth = ((5 * dayOfYear) + 2) / 153;
        var day = (int)(dayOfYear - (((153 * shiftedMonth) + 2) / 5) + 1);
        var month = (int)(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        var year = yearOfEra + (era * 400) + (month <= 2 ? 1 : 0);
        return (year, month, day);
    }
}
