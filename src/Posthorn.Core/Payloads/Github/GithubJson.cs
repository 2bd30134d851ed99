using System.Globalization;
using System.Text.Json;
using Posthorn.Core.Repositories;

namespace Posthorn.Core.Payloads.Github;

/// <summary>The objects every GitHub document shares (repository, sender), in the shape of GitHub's webhook payloads.</summary>
public static class GithubJson
{
    public static void WriteRepository(Utf8JsonWriter writer, Repository repository, string canonUrl, string? defaultBranch)
    {
        var html = RepositoryLinks.Html(canonUrl, repository);
        writer.WriteStartObject("repository");
        writer.WriteNumber("id", repository.Id);
        writer.WriteString("name", repository.Slug);
        writer.WriteString("full_name", repository.FullName);
        writer.WriteBoolean("private", repository.IsPrivate);
        writer.WriteStartObject("owner");
        writer.WriteString("login", repository.Owner);
        writer.WriteString("name", repository.Owner);
        writer.WriteString("type", "User");
        writer.WriteEndObject();
        writer.WriteString("html_url", html);
        writer.WriteString("description", repository.Name);
        writer.WriteBoolean("fork", repository.IsFork);
        writer.WriteString("url", html);
        writer.WriteString("clone_url", RepositoryLinks.Clone(canonUrl, repository));
        writer.WriteString("homepage", repository.Website ?? "");
        if (defaultBranch is null)
        {
            writer.WriteNull("default_branch");
        }
        else
        {
            writer.WriteString("default_branch", defaultBranch);
        }

        writer.WriteEndObject();
    }

    /// <summary>A Posthorn account as GitHub's user object (<c>sender</c>, <c>user</c>).</summary>
    public static void WriteUser(Utf8JsonWriter writer, string propertyName, string username)
    {
        writer.WriteStartObject(propertyName);
        writer.WriteString("login", username);
        writer.WriteString("type", "User");
        writer.WriteEndObject();
    }

    /// <summary>GitHub's timestamps for pull requests: ISO 8601 in UTC with a Z.</summary>
    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
