using Posthorn.Core.Payloads;

namespace Posthorn.Tests.Payloads;

/// <summary>
/// Author dates as git stores them, including ones no DateTimeOffset holds. Expected local times are
/// what `git log --format=%ai` prints for the same commit (git 2.39), where git prints one at all.
/// </summary>
public sealed class PayloadDateTests
{
    [Theory]
    [InlineData("1338350336", "1338350336 +0200", "2012-05-30 05:58:56", "2012-05-30 03:58:56+00:00", null)]
    [InlineData("1338350336", "1338350336 -0530", "2012-05-29 22:28:56", "2012-05-30 03:58:56+00:00", null)]
    [InlineData("0", "0 -0100", "1969-12-31 23:00:00", "1970-01-01 00:00:00+00:00", null)]
    // Year 10000: git prints "10000-01-01 00:00:00 +0000"; beyond DateTimeOffset, so raw_timestamp too.
    [InlineData("253402300800", "253402300800 +0000", "10000-01-01 00:00:00", "10000-01-01 00:00:00+00:00", "253402300800 +0000")]
    // +9999 is 99 h 99 min to git: "2012-06-03 08:37:56 +9999".
    [InlineData("1338350336", "1338350336 +9999", "2012-06-03 08:37:56", "2012-05-30 03:58:56+00:00", "1338350336 +9999")]
    // git log dies on this one ("Timestamp+tz too large"); the same arithmetic gives a faithful value.
    [InlineData("1338350336", "1338350336 +99999999", "2126-06-28 20:37:56", "2012-05-30 03:58:56+00:00", "1338350336 +99999999")]
    // Beyond 64 bits: %at keeps the digits, %ad says "0 +0000"; git log shows the epoch.
    [InlineData("99999999999999999999999", "0 +0000", "1970-01-01 00:00:00", "1970-01-01 00:00:00+00:00", "99999999999999999999999 +0000")]
    // Missing, negative or malformed dates: git cannot read them and shows the epoch; so do we.
    [InlineData("", "", "1970-01-01 00:00:00", "1970-01-01 00:00:00+00:00", "")]
    [InlineData("1338350336", "1338350336 junk", "2012-05-30 03:58:56", "2012-05-30 03:58:56+00:00", "1338350336 junk")]
    [InlineData("9223372036854775807", "9223372036854775807 +0100", "292277026596-12-04 15:30:07", "292277026596-12-04 15:30:07+00:00", "9223372036854775807 +0100")]
    public void FromGit_WritesGitsOwnArithmetic_AndTheRawTextWhenNotAnOrdinaryDate(string seconds, string raw, string timestamp, string utc, string? expectedRaw)
    {
        var date = PayloadDate.FromGit(seconds, raw);

        Assert.Equal(timestamp, date.Timestamp);
        Assert.Equal(utc, date.UtcTimestamp);
        Assert.Equal(expectedRaw, date.Raw);
    }
}
