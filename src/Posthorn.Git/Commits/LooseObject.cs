using System.IO.Compression;
using System.Text;

namespace Posthorn.Git.Commits;

/// <summary>
/// Reads one loose object's bytes exactly as stored (zlib over "type size\0content"). Gives null for
/// anything else: an object that is packed or missing, another type, a size that does not match.
/// </summary>
internal static class LooseObject
{
    /// <summary>Objects larger than this are left to git: a commit is a few hundred bytes.</summary>
    private const int MaxBytes = 1024 * 1024;

    public static byte[]? Read(string gitDirectory, string id, string type)
    {
        var path = Path.Combine(gitDirectory, "objects", id[..2], id[2..]);
        byte[] inflated;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.None);
            using var zlib = new ZLibStream(file, CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            var chunk = new byte[4096];
            int read;
            while ((read = zlib.Read(chunk)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBytes)
                {
                    return null;
                }
            }

            inflated = buffer.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null; // packed, gone, or not a loose object git wrote: git answers instead
        }

        var nul = Array.IndexOf(inflated, (byte)0);
        if (nul < 0)
        {
            return null;
        }

        var header = Encoding.ASCII.GetString(inflated, 0, nul);
        var expected = $"{type} {inflated.Length - nul - 1}";
        return header == expected ? inflated[(nul + 1)..] : null;
    }
}
