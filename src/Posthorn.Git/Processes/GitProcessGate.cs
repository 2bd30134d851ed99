using Microsoft.Extensions.Options;

namespace Posthorn.Git.Processes;

/// <summary>
/// Admission for the git processes that serve HTTP requests. Every smart HTTP request starts git
/// at once and keeps it for as long as the client takes to send its body, so without a cap a few
/// hundred slow connections hold a few hundred processes. At most
/// <see cref="GitOptions.MaxConcurrentProcesses"/> run at once, at most
/// <see cref="GitOptions.MaxProcessesPerClient"/> for one client; a request that finds no room
/// waits in line for <see cref="GitOptions.ProcessQueueTimeout"/>, then is refused. Waiters are
/// admitted in arrival order, skipping those whose client is at its share. Thread-safe; register
/// as a singleton.
/// </summary>
public sealed class GitProcessGate(IOptions<GitOptions> options, TimeProvider time)
{
    private readonly Lock sync = new();
    private readonly Dictionary<string, int> perClient = new(StringComparer.Ordinal);
    private readonly LinkedList<Waiter> waiters = new();
    private int running;

    /// <summary>Slots held right now (for tests and diagnostics).</summary>
    public int Running
    {
        get
        {
            lock (sync)
            {
                return running;
            }
        }
    }

    /// <summary>
    /// Takes a slot for <paramref name="client"/> (a remote address), waiting in line up to the
    /// queue timeout. The admission's <see cref="GitProcessAdmission.Slot"/> is null when refused;
    /// dispose the slot when git has exited.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> fired while waiting.</exception>
    public async Task<GitProcessAdmission> EnterAsync(string client, CancellationToken ct)
    {
        var settings = options.Value;
        Waiter waiter;
        lock (sync)
        {
            if (CanAdmit(client))
            {
                return new GitProcessAdmission(Admit(client), ClientAtShare: false);
            }

            if (settings.ProcessQueueTimeout <= TimeSpan.Zero)
            {
                return Refusal(client);
            }

            waiter = new Waiter(this, client);
            waiter.Node = waiters.AddLast(waiter);
        }

        await using (time.CreateTimer(static w => ((Waiter)w!).Withdraw(), waiter, settings.ProcessQueueTimeout, Timeout.InfiniteTimeSpan).ConfigureAwait(false))
        await using (ct.Register(static w => ((Waiter)w!).Withdraw(), waiter).ConfigureAwait(false))
        {
            var slot = await waiter.Admitted.Task.ConfigureAwait(false);
            if (slot is not null)
            {
                return new GitProcessAdmission(slot, ClientAtShare: false);
            }
        }

        ct.ThrowIfCancellationRequested();
        lock (sync)
        {
            return Refusal(client);
        }
    }

    private GitProcessAdmission Refusal(string client) =>
        new(null, ClientAtShare: perClient.GetValueOrDefault(client) >= options.Value.MaxProcessesPerClient);

    private bool CanAdmit(string client)
    {
        var settings = options.Value;
        return running < settings.MaxConcurrentProcesses && perClient.GetValueOrDefault(client) < settings.MaxProcessesPerClient;
    }

    private GitProcessSlot Admit(string client)
    {
        running++;
        perClient[client] = perClient.GetValueOrDefault(client) + 1;
        return new GitProcessSlot(this, client);
    }

    /// <summary>Timed out or cancelled: leaves the line unless already admitted.</summary>
    private void Withdraw(Waiter waiter)
    {
        lock (sync)
        {
            if (waiter.Node?.List is null)
            {
                return;
            }

            waiters.Remove(waiter.Node);
        }

        waiter.Admitted.TrySetResult(null);
    }

    internal void Release(string client)
    {
        var admitted = new List<(Waiter, GitProcessSlot)>();
        lock (sync)
        {
            running--;
            if (--perClient[client] == 0)
            {
                perClient.Remove(client);
            }

            for (var node = waiters.First; node is not null && running < options.Value.MaxConcurrentProcesses;)
            {
                var next = node.Next;
                if (CanAdmit(node.Value.Client))
                {
                    waiters.Remove(node);
                    admitted.Add((node.Value, Admit(node.Value.Client)));
                }

                node = next;
            }
        }

        // Completed outside the lock; continuations run asynchronously anyway.
        foreach (var (waiter, slot) in admitted)
        {
            waiter.Admitted.TrySetResult(slot);
        }
    }

    private sealed class Waiter(GitProcessGate gate, string client)
    {
        public string Client { get; } = client;

        public LinkedListNode<Waiter>? Node { get; set; }

        public TaskCompletionSource<GitProcessSlot?> Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Withdraw() => gate.Withdraw(this);
    }
}
