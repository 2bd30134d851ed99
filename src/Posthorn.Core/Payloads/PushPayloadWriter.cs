using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Posthorn.Core.Payloads;

/// <summary>
/// Writes the push document in the seed's shape (seeds/bitbucket-post-payload.txt, keys in its
/// order), then the additive fields: per commit <c>file_count</c>/<c>files_truncated</c>,
/// <c>message_truncated</c> and, for a date no ordinary timestamp states, <c>raw_timestamp</c>;
/// at the top <c>ref_changes</c>, <c>commit_count</c>, <c>commit_limit</c>, <c>truncated</c>,
/// <c>ref_change_count</c>, <c>ref_changes_truncated</c>, <c>recovered</c>.
/// The document never exceeds the byte cap as sent in either format (<see cref="PayloadWireSize"/>):
/// the oldest commits are left out first; if even none fit, the last ref changes too.
/// </summary>
public static class PushPayloadWriter
{
    /// <summary>A ',' between array elements, form-encoded.</summary>
    private const int Separator = 3;

    public static WrittenPayload Write(PushPayload payload, long maxBytes)
    {
        var commits = payload.Commits.Select(c => Fragment(w => WriteCommit(w, c))).ToList();
        var refs = payload.RefChanges.Select(r => Fragment(w => WriteRefChange(w, r))).ToList();

        // The envelope with nothing listed and both flags at their longer spelling ("false").
        var room = maxBytes - PayloadWireSize.Prefix - PayloadWireSize.Of(Document(payload, [], [], false, false));
        var refSizes = refs.Select(r => PayloadWireSize.Of(r) + Separator).ToList();
        var refsKept = refs.Count;
        var commitsKept = 0;
        if (refSizes.Sum() > room)
        {
            refsKept = CountWithin(refSizes, room);
        }
        else
        {
            room -= refSizes.Sum();
            var commitSizes = commits.Select(c => PayloadWireSize.Of(c) + Separator).Reverse().ToList();
            commitsKept = CountWithin(commitSizes, room);
        }

        while (true)
        {
            var json = Document(payload, commits[(commits.Count - commitsKept)..], refs[..refsKept], payload.CommitCount > commitsKept, refsKept < refs.Count);
            var wireBytes = PayloadWireSize.Prefix + PayloadWireSize.Of(json);

            // The envelope (canon_url, repository, user) is never cut: it alone can only exceed a
            // cap of at least 16 KiB through a repository's own settings; the builder logs that.
            if (wireBytes <= maxBytes || (commitsKept == 0 && refsKept == 0))
            {
                return new WrittenPayload(Encoding.UTF8.GetString(json), commitsKept, refsKept, wireBytes);
            }

            // The sums above are exact; this only guards the promise should they ever not be.
            if (commitsKept > 0)
            {
                commitsKept--;
            }
            else
            {
                refsKept--;
            }
        }
    }

    /// <summary>How many of <paramref name="sizes"/>, taken in order, fit in <paramref name="room"/>.</summary>
    private static int CountWithin(List<long> sizes, long room)
    {
        var count = 0;
        foreach (var size in sizes)
        {
            if (size > room)
            {
                break;
            }

            room -= size;
            count++;
        }

        return count;
    }

    private static byte[] Document(PushPayload payload, List<byte[]> commits, List<byte[]> refs, bool truncated, bool refsTruncated)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, PayloadJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("canon_url", PayloadJson.CanonUrl(payload.CanonUrl));
            writer.WriteStartArray("commits");
            foreach (var commit in commits)
            {
                writer.WriteRawValue(commit, skipInputValidation: true);
            }

            writer.WriteEndArray();
            PayloadJson.WriteRepository(writer, payload.Repository);
            writer.WriteString("user", payload.User);
            writer.WriteStartArray("ref_changes");
            foreach (var change in refs)
            {
                writer.WriteRawValue(change, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteNumber("commit_count", payload.CommitCount);
            writer.WriteNumber("commit_limit", payload.CommitLimit);
            writer.WriteBoolean("truncated", truncated);
            writer.WriteNumber("ref_change_count", payload.RefChanges.Count);
            writer.WriteBoolean("ref_changes_truncated", refsTruncated);
            writer.WriteBoolean("recovered", payload.Recovered);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Fragment(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, PayloadJson.WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteRefChange(Utf8JsonWriter writer, PayloadRefChange change)
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
        if (commit.Revision is { } revision)
        {
            writer.WriteNumber("revision", revision);
        }
        else
        {
            writer.WriteNull("revision");
        }

        writer.WriteNumber("size", -1);
        writer.WriteString("timestamp", commit.AuthorDate.Timestamp);
        writer.WriteString("utctimestamp", commit.AuthorDate.UtcTimestamp);
        writer.WriteNumber("file_count", commit.FileCount);
        writer.WriteBoolean("files_truncated", commit.FilesTruncated);
        writer.WriteBoolean("message_truncated", commit.MessageTruncated);
        if (commit.AuthorDate.Raw is { } raw)
        {
            writer.WriteString("raw_timestamp", raw);
        }

        writer.WriteEndObject();
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
