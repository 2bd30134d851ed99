using System.Globalization;
using System.Text.Json;
using Posthorn.Core.Repositories;

namespace Posthorn.Core.Payloads.BitbucketCloud;

/// <summary>
/// The objects every Bitbucket Cloud 2.0 document shares (actor, repository), in the shape of
/// Bitbucket Cloud's "Event payloads" reference, so receivers written for it read them unchanged.
/// </summary>
public static class BitbucketCloudJson
{
    /// <summary>A Posthorn account as Bitbucket's user object; uuid stable per username. An unknown user ("") is written as such.</summary>
    public static void WriteUser(Utf8JsonWriter writer, string propertyName, string username)
    {
        writer.WriteStartObject(propertyName);
        writer.WriteString("display_name", username);
        writer.WriteString("nickname", username);
        writer.WriteString("uuid", RepositoryLinks.Braced(RepositoryLinks.StableUuid("user", username)));
        writer.WriteString("type", "user");
        writer.WriteEndObject();
    }

    public static void WriteRepository(Utf8JsonWriter writer, Repository repository, string canonUrl)
    {
        writer.WriteStartObject("repository");
        writer.WriteString("type", "repository");
        writer.WriteString("name", repository.Name);
        writer.WriteString("full_name", repository.FullName);
        writer.WriteString("uuid", RepositoryLinks.Braced(RepositoryLinks.StableUuid("repository", repository.Id.ToString(CultureInfo.InvariantCulture))));
        writer.WriteString("scm", repository.Scm);
        writer.WriteBoolean("is_private", repository.IsPrivate);
        writer.WriteString("website", repository.Website ?? "");
        writer.WriteStartObject("links");
        WriteHref(writer, "self", RepositoryLinks.Api(canonUrl, repository));
        WriteHref(writer, "html", RepositoryLinks.Html(canonUrl, repository));
        writer.WriteEndObject();
        WriteUser(writer, "owner", repository.Owner);
        writer.WriteEndObject();
    }

    public static void WriteHref(Utf8JsonWriter writer, string propertyName, string href)
    {
        writer.WriteStartObject(propertyName);
        writer.WriteString("href", href);
        writer.WriteEndObject();
    }

    /// <summary>Bitbucket Cloud's timestamps: ISO 8601 in UTC with microseconds and an explicit offset.</summary>
    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
}
