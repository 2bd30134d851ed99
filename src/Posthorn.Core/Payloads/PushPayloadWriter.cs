using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Posthorn.Core.Payloads;

/// <summary>
/// Writes the push document in the seed's shape (seeds/bitbucket-post-payload.txt, keys in its
/// order), then the additive fields: per commit <c>file_count</c>/<c>files_truncated</c>, and at
/// the top <c>ref_changes</c>, <c>commit_count</c>, <c>commit_limit</c>, <c>truncated</c>, <c>recovered</c>.
/// </summary>
public static class PushPayloadWriter
{
    private const string DateFormat = "yyyy-MM-dd HH:mm:ss";

    public static string Write(PushPayload payload)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, PayloadJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("canon_url", PayloadJson.CanonUrl(payload.CanonUrl));
            writer.WriteStartArray("commits");
            foreach (var commit in payload.Commits)
            {
                WriteCommit(writer, commit);
            }

            writer.WriteEndArray();
            PayloadJson.WriteRepository(writer, payload.Repository);
            writer.WriteString("user", payload.User);
            writer.WriteStartArray("ref_changes");
            foreach (var change in payload.RefChanges)
            {
                writer.WriteStartObject();
                writer.WriteString("ref", change.Ref);
                writer.WriteString("name", change.Name);
                writer.WriteString("type", change.Type);
                writer.WriteString("old", change.Old);
                writer.WriteString("new", change.New);
                writer.WriteString("action", change.Action);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("commit_count", payload.CommitCount);
            writer.WriteNumber("commit_limit", payload.CommitLimit);
            writer.WriteBoolean("truncated", payload.Truncated);
            writer.WriteBoolean("recovered", payload.Recovered);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteCommit(Utf8JsonWriter writer, PayloadCommit commit)
    {
        writer.WriteStartObject();
        writer.WriteString("author", commit.Author);
        writer.WriteString("branch", commit.Branch);
        writer.WriteStartArray("files");
        foreach (var file in commit.Files)
        {
            writer.WriteStartObject();
            writer.WriteString("file", file.File);
            writer.WriteString("type", file.Type);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("message", commit.Message);
        writer.WriteString("node", Short(commit.RawNode));
        writer.WriteStartArray("parents");
        foreach (var parent in commit.Parents)
        {
            writer.WriteStringValue(Short(parent));
        }

        writer.WriteEndArray();
        writer.WriteString("raw_author", commit.RawAuthor);
        writer.WriteString("raw_node", commit.RawNode);
        writer.WriteNull("revision");
        writer.WriteNumber("size", -1);
        writer.WriteString("timestamp", commit.AuthorDate.ToString(DateFormat, CultureInfo.InvariantCulture));
        writer.WriteString("utctimestamp", commit.AuthorDate.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture) + "+00:00");
        writer.WriteNumber("file_count", commit.FileCount);
        writer.WriteBoolean("files_truncated", commit.FilesTruncated);
        writer.WriteEndObject();
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
