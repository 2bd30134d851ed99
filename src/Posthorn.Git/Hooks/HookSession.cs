namespace Posthorn.Git.Hooks;

/// <summary>One receive-pack run's way back to the server: the environment its hook needs. Dispose after git exits.</summary>
public sealed class HookSession(int port, string ticket, Action close) : IDisposable
{
    public IEnumerable<KeyValuePair<string, string>> Environment =>
    [
        new(TransactionHook.PortVariable, port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new(TransactionHook.TicketVariable, ticket),
    ];

    public void Dispose() => close();
}
