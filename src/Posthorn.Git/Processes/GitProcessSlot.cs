namespace Posthorn.Git.Processes;

/// <summary>One admitted git process (see <see cref="GitProcessGate"/>); disposing it frees the slot, once.</summary>
public sealed class GitProcessSlot : IDisposable
{
    private readonly GitProcessGate gate;
    private readonly string client;
    private int released;

    internal GitProcessSlot(GitProcessGate gate, string client)
    {
        this.gate = gate;
        this.client = client;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
        {
            gate.Release(client);
        }
    }
}
