using System.Security.Cryptography;
using System.Text.Json;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Soak;

/// <summary>
/// Closes the books: reads the recorded pushes and every service's deliveries through the API
/// (paged), the commits reachable in the server's bare repository with `git rev-list --all`, and
/// what each receiver accepted; then counts what is missing.
/// </summary>
public sealed class Auditor(Site site, string slug, string gitDirectory, IReadOnlyList<SoakService> services)
{
    private const string ZeroId = "0000000000000000000000000000000000000000";

    /// <summary>Deliveries of all services still pending (one cheap look, for the quiet period).</summary>
    public async Task<bool> AnyPendingAsync()
    {
        foreach (var service in services)
        {
            var page = await site.ApiJsonAsync(HttpMethod.Get, $"/api/repos/alice/{slug}/services/{service.Id}/deliveries?status=pending&limit=1");
            if (page.GetProperty("deliveries").GetArrayLength() > 0)
            {
                return true;
            }
        }

        return false;
    }

    public async Task<Books> CloseAsync(SoakRunFacts facts, IReadOnlyList<ClientPush> clientPushes)
    {
        var recorded = await PagesAsync($"/api/repos/alice/{slug}/pushes", "pushes");
        var recordedChanges = recorded
            .SelectMany(p => p.GetProperty("ref_updates").EnumerateArray())
            .Select(u => (u.GetProperty("ref").GetString()!, u.GetProperty("new").GetString()!))
            .ToHashSet();
        bool IsRecorded(ClientPush p) => recordedChanges.Contains((p.Ref, p.NewId ?? ZeroId));
        var lostAccepted = clientPushes.Where(p => p.Outcome == ClientOutcome.Applied && !IsRecorded(p)).ToList();
        var lostByFailed = clientPushes.Where(p => p.Outcome == ClientOutcome.AppliedByFailedAttempt && !IsRecorded(p)).ToList();

        var reachable = (await site.Git.RunAsync(gitDirectory, "rev-list", "--all")).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        var pushIds = recorded.Select(p => p.GetProperty("id").GetInt64()).ToHashSet();
        var serviceBooks = new List<ServiceBooks>();
        foreach (var service in services)
        {
            serviceBooks.Add(await ServiceBooksAsync(service, pushIds, reachable));
        }

        return new Books(
            facts.Backend, facts.Seed, facts.Pushers, facts.Kills, facts.KillsInsideReceivePack,
            facts.PushPhase.TotalSeconds, facts.Quiet.TotalSeconds, facts.Total.TotalSeconds,
            facts.GitPushRuns, clientPushes.Count,
            clientPushes.Count(p => p.Outcome == ClientOutcome.Applied),
            clientPushes.Count(p => p.Outcome == ClientOutcome.AppliedByFailedAttempt),
            clientPushes.Count(p => p.Outcome == ClientOutcome.GaveUp),
            recorded.Count,
            serviceBooks.Count == 0 ? 0 : serviceBooks.Max(s => s.RecoveredPayloads),
            lostAccepted.Count, lostByFailed.Count, reachable.Count, serviceBooks,
            [.. lostAccepted.Concat(lostByFailed).Take(10).Select(p => $"pusher {p.Pusher} {p.Kind} {p.Ref} → {p.NewId ?? "deleted"} ({p.Outcome}, {p.Attempts} attempts)")]);
    }

    private async Task<ServiceBooks> ServiceBooksAsync(SoakService service, HashSet<long> pushIds, HashSet<string> reachable)
    {
        var deliveries = (await PagesAsync($"/api/repos/alice/{slug}/services/{service.Id}/deliveries", "deliveries"))
            .Where(d => d.GetProperty("event").GetString() == "push")
            .ToList();
        int Count(string status) => deliveries.Count(d => d.GetProperty("status").GetString() == status);
        var delivered = deliveries.Select(d => d.GetProperty("push_id").GetInt64()).ToHashSet();

        var receptions = service.Receiver.Receptions.Where(r => r.Event == "push").ToList();
        var accepted = receptions.Where(r => r.Accepted).ToList();
        var announced = new HashSet<string>();
        var capped = new Dictionary<string, int>();
        var recovered = new HashSet<string>();
        foreach (var reception in accepted)
        {
            var payload = reception.Payload();
            var commits = payload.GetProperty("commits");
            foreach (var commit in commits.EnumerateArray())
            {
                announced.Add(commit.GetProperty("raw_node").GetString()!);
            }

            if (payload.TryGetProperty("commit_count", out var total) && total.GetInt32() > commits.GetArrayLength())
            {
                capped[reception.DeliveryId] = total.GetInt32() - commits.GetArrayLength();
            }

            if (payload.TryGetProperty("recovered", out var flag) && flag.ValueKind == JsonValueKind.True)
            {
                recovered.Add(reception.DeliveryId);
            }
        }

        var unannounced = reachable.Where(c => !announced.Contains(c)).Order().ToList();

        // The same push announced under two ids: a commit or a ref change that appears in payloads
        // of two delivery ids (each commit is new exactly once in this workload: every pusher
        // writes its own files on its own branches, and nothing is re-pushed after it is deleted).
        var idsByAnnouncement = new Dictionary<string, HashSet<string>>();
        foreach (var reception in receptions)
        {
            var payload = reception.Payload();
            var keys = payload.GetProperty("commits").EnumerateArray().Select(c => "commit " + c.GetProperty("raw_node").GetString())
                .Concat(payload.TryGetProperty("ref_changes", out var changes)
                    ? changes.EnumerateArray().Select(c => $"ref {c.GetProperty("ref").GetString()} {c.GetProperty("old").GetString()} {c.GetProperty("new").GetString()}")
                    : []);
            foreach (var key in keys)
            {
                (idsByAnnouncement.TryGetValue(key, out var ids) ? ids : idsByAnnouncement[key] = []).Add(reception.DeliveryId);
            }
        }

        var idChanging = idsByAnnouncement.Where(kv => kv.Value.Count > 1).Select(kv => $"{kv.Key} under {string.Join(", ", kv.Value)}").ToList();
        var bodiesDiffer = receptions.GroupBy(r => r.DeliveryId).Count(g => g.Select(r => Convert.ToHexString(SHA256.HashData(r.Body))).Distinct().Count() > 1);
        return new ServiceBooks(
            service.Name, service.Format, pushIds.Count, deliveries.Count, Count("succeeded"), Count("failed"), Count("pending"),
            pushIds.Count(id => !delivered.Contains(id)),
            receptions.Count, accepted.Count, announced.Count, reachable.Count - unannounced.Count, unannounced.Count, capped.Values.Sum(), recovered.Count,
            accepted.GroupBy(r => r.DeliveryId).Sum(g => g.Count() - 1), bodiesDiffer, idChanging.Count,
            [.. unannounced.Take(10)], [.. idChanging.Take(10)]);
    }

    private async Task<List<JsonElement>> PagesAsync(string path, string property)
    {
        var all = new List<JsonElement>();
        string? before = null;
        for (var page = 0; page < 10_000; page++)
        {
            var json = await site.ApiJsonAsync(HttpMethod.Get, $"{path}?limit=100" + (before is null ? "" : "&before=" + before));
            all.AddRange(json.GetProperty(property).EnumerateArray());
            if (!json.TryGetProperty("next_before", out var next) || next.ValueKind == JsonValueKind.Null)
            {
                return all;
            }

            before = next.ToString();
        }

        throw new InvalidOperationException($"{path}: more pages than the soak can have made");
    }
}
