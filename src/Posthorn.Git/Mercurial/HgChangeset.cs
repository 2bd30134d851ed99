using System.Globalization;
using System.Text.Json.Serialization;
using Posthorn.Core.Payloads;

namespace Posthorn.Git.Mercurial;

/// <summary>One changeset as posthorn_hg.py prints it; files are against the first parent, as hg status shows them.</summary>
internal sealed class HgChangeset
{
    [JsonPropertyName("rev")]
    public long Revision { get; init; }

    [JsonPropertyName("node")]
    public string Node { get; init; } = "";

    [JsonPropertyName("branch")]
    public string Branch { get; init; } = "default";

    [JsonPropertyName("desc")]
    public string Description { get; init; } = "";

    [JsonPropertyName("user")]
    public string User { get; init; } = "";

    [JsonPropertyName("seconds")]
    public long Seconds { get; init; }

    /// <summary>Mercurial's zone: seconds west of UTC (so UTC+2 is -7200).</summary>
    [JsonPropertyName("offset")]
    public long Offset { get; init; }

    [JsonPropertyName("parents")]
    public IReadOnlyList<string> Parents { get; init; } = [];

    [JsonPropertyName("added")]
    public IReadOnlyList<string> Added { get; init; } = [];

    [JsonPropertyName("modified")]
    public IReadOnlyList<string> Modified { get; init; } = [];

    [JsonPropertyName("removed")]
    public IReadOnlyList<string> Removed { get; init; } = [];

    /// <summary>The e-mail in "Name &lt;e-mail&gt;", or the whole user when it is a bare address.</summary>
    public string Email
    {
        get
        {
            var open = User.IndexOf('<', StringComparison.Ordinal);
            var close = User.LastIndexOf('>');
            return open >= 0 && close > open ? User[(open + 1)..close].Trim() : User.Contains('@', StringComparison.Ordinal) ? User.Trim() : "";
        }
    }

    /// <summary>The name in "Name &lt;e-mail&gt;" (hg's person filter): what the payload's author is when no account has the e-mail.</summary>
    public string Person
    {
        get
        {
            var open = User.IndexOf('<', StringComparison.Ordinal);
            var name = open > 0 ? User[..open].Trim() : open == 0 ? "" : User.Trim();
            return name.Length > 0 ? name : Email.Split('@')[0];
        }
    }

    /// <summary>The date the payload writes, through git's arithmetic on "seconds ±hhmm".</summary>
    public PayloadDate Date
    {
        get
        {
            var minutes = -Offset / 60;
            var zone = (minutes < 0 ? "-" : "+") + (Math.Abs(minutes) / 60).ToString("00", CultureInfo.InvariantCulture) + (Math.Abs(minutes) % 60).ToString("00", CultureInfo.InvariantCulture);
            var seconds = Seconds.ToString(CultureInfo.InvariantCulture);
            return PayloadDate.FromGit(seconds, seconds + " " + zone);
        }
    }

    /// <summary>Every changed path, by name, with its kind.</summary>
    public IEnumerable<PayloadFile> Files =>
        Added.Select(f => new PayloadFile(f, "added"))
            .Concat(Modified.Select(f => new PayloadFile(f, "modified")))
            .Concat(Removed.Select(f => new PayloadFile(f, "removed")))
            .OrderBy(f => f.File, StringComparer.Ordinal);
}
