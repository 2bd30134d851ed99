using System.Text;

namespace Posthorn.Bench;

/// <summary>Synthetic repositories written with <c>git fast-import</c> (one linear branch, main).</summary>
public static class SyntheticRepo
{
    /// <summary>
    /// A bare repository with <paramref name="commits"/> commits on main; commit i changes one of
    /// <paramref name="files"/> small text files, and, when <paramref name="blobBytes"/> &gt; 0,
    /// adds a file of that many random (incompressible) bytes. Returns the commit ids, oldest first.
    /// </summary>
    /// <param name="packPerCommit">Checkpoint after every commit, so each commit's new objects are a pack of their own (see <see cref="PacksByCommitAsync"/>).</param>
    public static async Task<IReadOnlyList<string>> CreateAsync(string gitDirectory, int commits, int files = 100, int blobBytes = 0, int seed = 1, bool packPerCommit = false)
    {
        Directory.CreateDirectory(gitDirectory);
        await Shell.GitAsync(gitDirectory, "init", "-q", "--bare", "-b", "main");
        var marks = Path.Combine(gitDirectory, "bench-marks");
        await Shell.RunAsync("git", ["fast-import", "--quiet", $"--export-marks={marks}"], gitDirectory, stdin: async stdin =>
        {
            var random = new Random(seed);
            var blob = new byte[Math.Max(blobBytes, 0)];
            var writer = new BufferedStream(stdin, 1 << 20); // not disposed: Shell closes stdin
            var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
            for (var i = 1; i <= commits; i++)
            {
                var author = $"Dev {i % 7} <dev{i % 7}@example.com> {start + (i * 60)} +0100";
                var message = $"Change {i}: adjust module {i % files}\n\nBody line for commit {i} (history {seed}).\n";
                var header = new StringBuilder()
                    .Append($"commit refs/heads/main\nmark :{i}\nauthor {author}\ncommitter {author}\n")
                    .Append($"data {Encoding.UTF8.GetByteCount(message)}\n{message}");
                if (i > 1)
                {
                    header.Append($"from :{i - 1}\n");
                }

                var content = $"module {i % files}\nrevision {i}\n";
                header.Append($"M 100644 inline src/module{i % files}.txt\ndata {Encoding.UTF8.GetByteCount(content)}\n{content}\n");
                await writer.WriteAsync(Encoding.UTF8.GetBytes(header.ToString()));
                if (blobBytes > 0)
                {
                    random.NextBytes(blob);
                    await writer.WriteAsync(Encoding.UTF8.GetBytes($"M 100644 inline assets/blob{i}.bin\ndata {blobBytes}\n"));
                    await writer.WriteAsync(blob);
                    await writer.WriteAsync("\n"u8.ToArray());
                }

                await writer.WriteAsync("\n"u8.ToArray());
                if (packPerCommit)
                {
                    await writer.WriteAsync("checkpoint\n\n"u8.ToArray());
                }
            }

            await writer.FlushAsync();
        });

        // Marks file: ":i sha" per line.
        var ids = new string[commits];
        foreach (var line in await File.ReadAllLinesAsync(marks))
        {
            var parts = line.Split(' ');
            ids[int.Parse(parts[0][1..], System.Globalization.CultureInfo.InvariantCulture) - 1] = parts[1];
        }

        File.Delete(marks);
        return ids;
    }

    /// <summary>
    /// After <see cref="CreateAsync"/> with packPerCommit: each pack file's bytes by the commit it
    /// holds, read from the pack indexes (v2: magic, version, 256-entry fan-out, then the sorted ids).
    /// Self-contained packs, ready to be the body of a receive-pack request.
    /// </summary>
    public static async Task<Dictionary<string, byte[]>> PacksByCommitAsync(string gitDirectory, IReadOnlyCollection<string> commits)
    {
        var wanted = commits.ToHashSet(StringComparer.Ordinal);
        var packs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var index in Directory.EnumerateFiles(Path.Combine(gitDirectory, "objects", "pack"), "*.idx"))
        {
            var bytes = await File.ReadAllBytesAsync(index);
            var count = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8 + (255 * 4)));
            byte[]? pack = null;
            for (var i = 0; i < count; i++)
            {
                var id = Convert.ToHexStringLower(bytes, 8 + (256 * 4) + (i * 20), 20);
                if (wanted.Contains(id))
                {
                    pack ??= await File.ReadAllBytesAsync(Path.ChangeExtension(index, ".pack"));
                    packs[id] = pack; // several commits in one pack share the array; callers check
                }
            }
        }

        return packs;
    }
}
