using System.Text;

namespace Posthorn.Git.Refs;

/// <summary>
/// Reads a repository's refs the way <c>git for-each-ref --format='%(objectname) %(refname)'</c>
/// reports them, without starting git, for the files ref backend (gitrepository-layout(5)): loose
/// refs under refs/ override packed-refs, lock files and names starting with a dot are skipped,
/// symbolic refs ("ref: NAME") show their target's id, refs whose object is missing are left out.
/// Loose refs are read before packed-refs, as git does, so a concurrent pack-refs cannot hide a ref.
/// Whenever anything is unexpected (another ref storage or object format, an include in the config,
/// a linked worktree, a symlink or odd file under refs/, a name or line git might read differently, a
/// dangling or looping symbolic ref, an object not certainly present, more refs than it pays to
/// check) the answer is null and the caller asks git. A process costs milliseconds; this costs a directory walk and a few small reads.
/// </summary>
public static class FilesBackendRefs
{
    // refs.h SYMREF_MAXDEPTH: git gives up on deeper chains of symbolic refs.
    private const int MaxSymrefDepth = 5;

    // A loose ref is an id and a newline, or "ref: " and a name; anything far longer is not one.
    private const int MaxLooseRefBytes = 4096;

    private const string PackedHeader = "# pack-refs with: ";

    // Each ref costs a stat, and a binary search in the pack indexes once its object is packed; past
    // a few hundred refs one for-each-ref process is the cheaper way.
    internal const int MaxRefs = 256;

    // An extension (ref storage, object format) or an include that could set one.
    private static readonly string[] RefusedConfigWords = ["extensions", "include"];

    /// <summary>Every ref (name → object id), or null when git should answer instead.</summary>
    public static IReadOnlyDictionary<string, string>? TryRead(string gitDirectory)
    {
        try
        {
            return Read(gitDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // a file that vanished or cannot be read mid-walk: git decides
        }
    }

    private static Dictionary<string, string>? Read(string gitDirectory)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GIT_REF_PARANOIA")) || !PlainRepository.Is(gitDirectory, RefusedConfigWords))
        {
            return null;
        }

        var refsDirectory = new DirectoryInfo(Path.Combine(gitDirectory, "refs"));
        if (!refsDirectory.Exists || refsDirectory.LinkTarget is not null)
        {
            return null;
        }

        var loose = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!ReadLoose(refsDirectory, "refs/", loose))
        {
            return null;
        }

        var packed = ReadPacked(Path.Combine(gitDirectory, "packed-refs"));
        if (packed is null)
        {
            return null;
        }

        var refs = new Dictionary<string, string>(packed, StringComparer.Ordinal);
        foreach (var name in loose.Keys)
        {
            if (Resolve(name, loose, packed, 0) is not { } id)
            {
                return null;
            }

            refs[name] = id;
        }

        if (refs.Count > MaxRefs)
        {
            return null;
        }

        using var objects = new ObjectPresence(gitDirectory);
        return refs.Values.All(objects.Has) ? refs : null;
    }

    private static bool ReadLoose(DirectoryInfo directory, string prefix, Dictionary<string, string> loose)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            // files-backend.c loose_fill_ref_dir skips these (a ref being written sits in NAME.lock).
            if (entry.Name.StartsWith('.') || entry.Name.EndsWith(".lock", StringComparison.Ordinal))
            {
                continue;
            }

            if (entry.LinkTarget is not null)
            {
                return false; // git reads a symlinked ref as a symbolic ref in its own way
            }

            var name = prefix + entry.Name;
            if (entry is DirectoryInfo child)
            {
                if (!ReadLoose(child, name + "/", loose))
                {
                    return false;
                }

                continue;
            }

            // A FIFO, socket or device reports length 0: never opened, git decides.
            if (!RefName.IsPlainValid(name) || entry is not FileInfo { Length: > 0 and <= MaxLooseRefBytes } file
                || ParseLoose(File.ReadAllBytes(file.FullName)) is not { } value)
            {
                return false;
            }

            loose[name] = value;
        }

        return true;
    }

    /// <returns>The id, or "ref: NAME" for a symbolic ref, or null for anything else.</returns>
    private static string? ParseLoose(byte[] bytes)
    {
        if (bytes.Length == 0 || bytes[^1] != '\n' || bytes.Any(b => b is >= 0x80 or 0))
        {
            return null;
        }

        var text = Encoding.ASCII.GetString(bytes, 0, bytes.Length - 1);
        if (RefName.IsObjectId(text))
        {
            return text;
        }

        return text.StartsWith("ref: ", StringComparison.Ordinal) && RefName.IsPlainValid(text["ref: ".Length..]) ? text : null;
    }

    /// <returns>The packed refs (none when the file does not exist), or null when a line is not one git writes.</returns>
    private static Dictionary<string, string>? ReadPacked(string path)
    {
        var packed = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return packed;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0)
        {
            return packed;
        }

        if (bytes[^1] != '\n' || bytes.Any(b => b is >= 0x80 or 0))
        {
            return null;
        }

        var lines = Encoding.ASCII.GetString(bytes, 0, bytes.Length - 1).Split('\n');
        string? previous = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (i == 0 && line.StartsWith(PackedHeader, StringComparison.Ordinal))
            {
                continue;
            }

            // "^ID" peels the ref on the line before (an annotated tag's target); for-each-ref shows the tag itself.
            if (line.StartsWith('^') && previous is not null && RefName.IsObjectId(line.AsSpan(1)))
            {
                previous = null;
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space != 40 || !RefName.IsObjectId(line.AsSpan(0, 40)) || !RefName.IsPlainValid(line[41..]) || !packed.TryAdd(line[41..], line[..40]))
            {
                return null;
            }

            previous = line[41..];
        }

        return packed;
    }

    private static string? Resolve(string name, Dictionary<string, string> loose, Dictionary<string, string> packed, int depth)
    {
        if (depth >= MaxSymrefDepth)
        {
            return null;
        }

        if (loose.TryGetValue(name, out var value))
        {
            return value.StartsWith("ref: ", StringComparison.Ordinal) ? Resolve(value["ref: ".Length..], loose, packed, depth + 1) : value;
        }

        return packed.GetValueOrDefault(name);
    }
}
