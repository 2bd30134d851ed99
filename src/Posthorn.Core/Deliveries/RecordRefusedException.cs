namespace Posthorn.Core.Deliveries;

/// <summary>
/// The store refused what a record contains (a value it cannot hold, a constraint it breaks), not the
/// request as such: writing the same values again fails the same way, while other records go in.
/// </summary>
public sealed class RecordRefusedException(string message, Exception inner) : Exception(message, inner);
