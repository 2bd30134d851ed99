using System.Security.Cryptography;
using System.Text;

namespace Posthorn.Web.Auth;

/// <summary>
/// Slows password guessing: after <see cref="MaxFailures"/> failures for one username from one
/// client within the window, that pair is locked out until the window passes. In memory, per node:
/// enough to make online guessing impractical without locking the real owner out everywhere.
/// Bounded: keys are fixed-size salted hashes (a 20,000-character username costs what a short one
/// does), entries expire with their window and are swept once per window, and the table never holds
/// more than its capacity (when full, expired entries go first, then the oldest tenth).
/// Thread-safe: one lock around a small dictionary; every operation is O(1) but the rare sweep.
/// </summary>
public sealed class SignInThrottle
{
    public const int MaxFailures = 5;

    /// <summary>Default for <see cref="Capacity"/>: 10,000 entries, about a megabyte.</summary>
    public const int DefaultCapacity = 10_000;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly Dictionary<UInt128, Entry> entries = [];

    // Per process: the table's keys reveal nothing about usernames and cannot be precomputed.
    private readonly byte[] salt = RandomNumberGenerator.GetBytes(16);
    private DateTimeOffset lastSweep;

    public SignInThrottle(TimeProvider time)
        : this(time, DefaultCapacity)
    {
    }

    public SignInThrottle(TimeProvider time, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.time = time;
        Capacity = capacity;
        lastSweep = time.GetUtcNow();
    }

    /// <summary>Most entries the table ever holds.</summary>
    public int Capacity { get; }

    /// <summary>Entries held now (expired ones linger until the next sweep).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    public bool IsLockedOut(string username, string client)
    {
        var key = Key(username, client);
        var now = time.GetUtcNow();
        lock (gate)
        {
            return entries.TryGetValue(key, out var entry) && entry.Failures >= MaxFailures && now - entry.Since < Window;
        }
    }

    public void RecordFailure(string username, string client)
    {
        var key = Key(username, client);
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (now - lastSweep >= Window)
            {
                RemoveExpired(now);
                lastSweep = now;
            }

            if (entries.TryGetValue(key, out var entry) && now - entry.Since < Window)
            {
                entries[key] = entry with { Failures = entry.Failures + 1 };
                return;
            }

            if (!entries.ContainsKey(key) && entries.Count >= Capacity)
            {
                MakeRoom(now);
            }

            entries[key] = new Entry(1, now);
        }
    }

    public void RecordSuccess(string username, string client)
    {
        var key = Key(username, client);
        lock (gate)
        {
            entries.Remove(key);
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        RemoveExpired(now);
        if (entries.Count < Capacity)
        {
            return;
        }

        // A flood of fresh names: forget the oldest tenth at once, so a flood costs O(log n) per entry, not a scan each.
        foreach (var key in entries.OrderBy(e => e.Value.Since).Take(Math.Max(1, Capacity / 10)).Select(e => e.Key).ToList())
        {
            entries.Remove(key);
        }
    }

    private void RemoveExpired(DateTimeOffset now)
    {
        foreach (var (key, entry) in entries)
        {
            if (now - entry.Since >= Window)
            {
                entries.Remove(key);
            }
        }
    }

    private UInt128 Key(string username, string client)
    {
        var text = Encoding.UTF8.GetBytes(username.ToLowerInvariant() + "\n" + client);
        var input = new byte[salt.Length + text.Length];
        salt.CopyTo(input, 0);
        text.CopyTo(input, salt.Length);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        return new UInt128(BitConverter.ToUInt64(hash), BitConverter.ToUInt64(hash[8..]));
    }

    private readonly record struct Entry(int Failures, DateTimeOffset Since);
}
