using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Posthorn.Bench;

/// <summary>
/// Pushes to one git server over HTTP with pre-built packs: per repository a chain of commits, each
/// push a receive-pack request moving refs/heads/main one commit on. Repositories are pushed in
/// parallel, each one's pushes in order (its receive lock serialises them anyway). Keeps each
/// repository's place in its chain, so phases against the same server can follow each other.
/// </summary>
public sealed class PushStream(HttpClient http, string baseUrl, AuthenticationHeaderValue? auth, IReadOnlyList<PushStream.Chain> chains)
{
    public sealed record Chain(string Slug, IReadOnlyList<string> Ids, byte[][] Packs);

    /// <summary>One accepted push: the commit it carried, when its request started and when its response was read.</summary>
    public readonly record struct Accepted(string Commit, long Started, long Done);

    private readonly int[] next = [.. chains.Select(_ => 1)];

    public int Failures { get; private set; }

    /// <summary>
    /// Offers <paramref name="count"/> pushes at <paramref name="rate"/> per second round-robin over the
    /// repositories (0: as fast as each repository's previous push allows, for <paramref name="limit"/>).
    /// Stops early when a chain runs out or the window (the offered span plus 2 s) has passed.
    /// </summary>
    public async Task<List<Accepted>> RunAsync(double rate, int count, TimeSpan limit)
    {
        var accepted = new List<Accepted>();
        var clock = Stopwatch.StartNew();
        var window = rate > 0 ? TimeSpan.FromSeconds(count / rate) + TimeSpan.FromSeconds(2) : limit;
        var failures = 0;
        var loops = Enumerable.Range(0, chains.Count).Select(r => Task.Run(async () =>
        {
            var chain = chains[r];
            for (var k = 0; (k * chains.Count) + r < count && next[r] < chain.Ids.Count; k++)
            {
                if (clock.Elapsed > window)
                {
                    break; // the machine can't keep up: stop at the window's end, the achieved rate says so
                }

                if (rate > 0)
                {
                    var wait = TimeSpan.FromSeconds(((k * chains.Count) + r) / rate) - clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }
                }

                var i = next[r]++;
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/bench/{chain.Slug}.git/git-receive-pack")
                {
                    Content = new ByteArrayContent(ReceivePackRequest(chain.Ids[i - 1], chain.Ids[i], chain.Packs[i])),
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-git-receive-pack-request");
                request.Headers.Authorization = auth;
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                var report = await response.Content.ReadAsStringAsync();
                var done = Stopwatch.GetTimestamp();
                if (!response.IsSuccessStatusCode || !report.Contains("ok refs/heads/main", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }

                lock (accepted)
                {
                    accepted.Add(new Accepted(chain.Ids[i], started, done));
                }
            }
        })).ToList();
        await Task.WhenAll(loops);
        Failures += failures;
        return accepted;
    }

    /// <summary>Accepted pushes per second over the span from the first start to the last answer.</summary>
    public static double Rate(IReadOnlyCollection<Accepted> accepted) =>
        accepted.Count < 2 ? 0 : accepted.Count / Stopwatch.GetElapsedTime(accepted.Min(a => a.Started), accepted.Max(a => a.Done)).TotalSeconds;

    /// <summary>A receive-pack request body: one pkt-line command, flush, then the pack.</summary>
    private static byte[] ReceivePackRequest(string oldId, string newId, byte[] pack)
    {
        var command = $"{oldId} {newId} refs/heads/main\0report-status agent=posthorn-bench\n";
        var line = $"{command.Length + 4:x4}{command}0000";
        return [.. Encoding.ASCII.GetBytes(line), .. pack];
    }
}
