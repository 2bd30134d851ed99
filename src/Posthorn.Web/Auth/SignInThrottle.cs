using System.Collections.Concurrent;

namespace Posthorn.Web.Auth;

/// <summary>
/// Slows password guessing: after <see cref="MaxFailures"/> failures for one username from one
/// client within the window, that pair is locked out until the window passes. In memory, per node:
/// enough to make online guessing impractical without locking the real owner out everywhere.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Since)> failures = new(StringComparer.Ordinal);

    public bool IsLockedOut(string username, string client) =>
        failures.TryGetValue(Key(username, client), out var entry) && entry.Failures >= MaxFailures && time.GetUtcNow() - entry.Since < Window;

    public void RecordFailure(string username, string client)
    {
        var now = time.GetUtcNow();
        failures.AddOrUpdate(Key(username, client), (1, now), (_, e) => now - e.Since >= Window ? (1, now) : (e.Failures + 1, e.Since));
    }

    public void RecordSuccess(string username, string client) => failures.TryRemove(Key(username, client), out _);

    private static string Key(string username, string client) => username.ToLowerInvariant() + "\n" + client;
}
