using System.Globalization;

namespace Posthorn.EndToEnd.Soak;

/// <summary>
/// The size of one soak run on one database. <see cref="Quick"/> is the in-suite run; the
/// scripts/soak entry reads POSTHORN_SOAK_* variables through <see cref="FromEnvironment"/>.
/// </summary>
public sealed record SoakSettings(string Backend, TimeSpan PushPhase, int Pushers, int Kills, int Seed, TimeSpan QuietDeadline)
{
    /// <summary>Most pushes one pusher makes, so the push phase is bounded in count as well as in time.</summary>
    public int MaxPushesPerPusher { get; init; } = 2000;

    /// <summary>Start of the artifact names under artifacts/soak: "books" for scripts/soak, "quick-books" in the suite, so a suite run never overwrites a soak's books.</summary>
    public string ArtifactName { get; init; } = "books";

    /// <summary>The in-suite size: about 30 s of pushing, still three kills (scripts/soak runs the long one).</summary>
    public static SoakSettings Quick(string backend) => new(backend, TimeSpan.FromSeconds(30), 3, 3, 7, TimeSpan.FromSeconds(90)) { ArtifactName = "quick-books" };

    /// <summary>Defaults: 2 min of pushing, 4 pushers, 3 kills, seed 1, at most 90 s for deliveries to settle.</summary>
    public static SoakSettings FromEnvironment(string backend) => new(
        backend,
        TimeSpan.FromMinutes(Number("POSTHORN_SOAK_MINUTES", 2)),
        (int)Number("POSTHORN_SOAK_PUSHERS", 4),
        (int)Number("POSTHORN_SOAK_KILLS", 3),
        (int)Number("POSTHORN_SOAK_SEED", 1),
        TimeSpan.FromSeconds(Number("POSTHORN_SOAK_QUIET_SECONDS", 90)));

    private static double Number(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
