using System.Globalization;
using System.Text;

namespace Posthorn.EndToEnd.Soak;

/// <summary>
/// THE BOOKS of one soak run: pushes git accepted against pushes recorded, commits in the repository
/// against commits announced to each service, deliveries expected against their outcomes, and
/// duplicates. <see cref="Failures"/> is empty only when nothing was lost, every reachable commit
/// was announced to every service, and no push was announced under two delivery ids.
/// </summary>
public sealed record Books(
    string Backend,
    int Seed,
    int Pushers,
    int Kills,
    int KillsInsideReceivePack,
    double PushPhaseSeconds,
    double QuietSeconds,
    double TotalSeconds,
    int GitPushRuns,
    int RefUpdatesIntended,
    int AcceptedByGit,
    int AppliedByFailedAttempt,
    int GaveUp,
    int PushesRecorded,
    int RecoveredPushesRecorded,
    int LostAcceptedByGit,
    int LostAppliedByFailedAttempt,
    int CommitsInRepository,
    IReadOnlyList<ServiceBooks> Services,
    IReadOnlyList<string> LostSample)
{
    public IReadOnlyList<string> Failures
    {
        get
        {
            var failures = new List<string>();
            if (LostAcceptedByGit > 0)
            {
                failures.Add($"{LostAcceptedByGit} ref updates git accepted (exit 0) were never recorded as a push");
            }

            if (LostAppliedByFailedAttempt > 0)
            {
                failures.Add($"{LostAppliedByFailedAttempt} ref updates applied by a push the client saw fail were never recorded (the retry said \"up-to-date\")");
            }

            foreach (var s in Services)
            {
                if (s.CommitsUnannounced > 0)
                {
                    failures.Add($"{s.Name}: {s.CommitsUnannounced} commits reachable in the repository were never announced in an accepted payload");
                }

                if (s.IdChangingDuplicates > 0)
                {
                    failures.Add($"{s.Name}: {s.IdChangingDuplicates} commits or ref changes were announced under more than one delivery id");
                }

                if (s.DuplicatesWithDifferentBody > 0)
                {
                    failures.Add($"{s.Name}: {s.DuplicatesWithDifferentBody} delivery ids arrived with differing bodies");
                }

                if (s.PushesWithoutDelivery > 0)
                {
                    failures.Add($"{s.Name}: {s.PushesWithoutDelivery} recorded pushes have no delivery");
                }
            }

            return failures;
        }
    }

    public string ToTable()
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        Line($"THE BOOKS — {Backend}: seed {Seed}, {Pushers} pushers, {Kills} kills -9 ({KillsInsideReceivePack} while a push was inside receive-pack), " +
            $"push phase {PushPhaseSeconds:0} s, quiet period {QuietSeconds:0} s, {TotalSeconds:0} s in all");
        Line("");
        Line("pushes");
        Line(Row("  `git push` commands run", GitPushRuns));
        Line(Row("  ref updates intended", RefUpdatesIntended));
        Line(Row("  accepted by git (exit 0)", AcceptedByGit));
        Line(Row("  applied by an attempt the client saw fail", AppliedByFailedAttempt));
        Line(Row("  gave up (never applied)", GaveUp));
        Line(Row("  recorded (API, paged)", PushesRecorded));
        Line(Row("    of which recovered", RecoveredPushesRecorded));
        Line(Row("  LOST: accepted by git, not recorded", LostAcceptedByGit));
        Line(Row("  LOST: applied by a failed attempt, not recorded", LostAppliedByFailedAttempt));
        Line("");
        Line(Row("commits reachable in the repository", CommitsInRepository));
        Line("");
        Line(string.Format(CultureInfo.InvariantCulture, "{0,-32}{1,9}{2,10}{3,8}{4,9}{5,9}{6,10}{7,9}{8,11}{9,12}{10,13}{11,8}{12,11}{13,6}{14,10}{15,12}",
            "service", "expected", "succeeded", "failed", "pending", "no-deliv", "received", "accepted", "announced", "reachable", "UNANNOUNCED", "capped", "recovered", "dups", "dup-body≠", "ID-CHANGING"));
        foreach (var s in Services)
        {
            Line(string.Format(CultureInfo.InvariantCulture, "{0,-32}{1,9}{2,10}{3,8}{4,9}{5,9}{6,10}{7,9}{8,11}{9,12}{10,13}{11,8}{12,11}{13,6}{14,10}{15,12}",
                $"{s.Name} ({s.Format})", s.DeliveriesExpected, s.Succeeded, s.VisiblyFailed, s.Pending, s.PushesWithoutDelivery, s.Receptions, s.AcceptedReceptions,
                s.CommitsAnnounced, s.ReachableCommitsAnnounced, s.CommitsUnannounced, s.CommitsBeyondPayloadCap, s.RecoveredPayloads, s.DuplicateReceptions, s.DuplicatesWithDifferentBody, s.IdChangingDuplicates));
        }

        Line("  announced = distinct commits in accepted (2xx) payloads; reachable = of those, still reachable in the repository");
        Line("");
        var failures = Failures;
        Line(failures.Count == 0 ? "VERDICT: PASS — every push recorded, every reachable commit announced, no push under two ids" : "VERDICT: FAIL");
        foreach (var failure in failures)
        {
            Line("  - " + failure);
        }

        foreach (var sample in LostSample.Concat(Services.SelectMany(s => s.UnannouncedSample.Select(c => $"{s.Name}: unannounced {c}"))).Take(12))
        {
            Line("    e.g. " + sample);
        }

        return text.ToString();
    }

    private static string Row(string label, int value) => string.Format(CultureInfo.InvariantCulture, "{0,-50}{1,8}", label, value);
}
