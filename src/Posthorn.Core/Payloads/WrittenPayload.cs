namespace Posthorn.Core.Payloads;

/// <summary>
/// The document as written, how many commits and ref changes it lists after the byte cap, and its
/// size on the wire (<see cref="PayloadWireSize"/>, prefix included).
/// </summary>
public sealed record WrittenPayload(string Json, int CommitsListed, int RefChangesListed, long WireBytes);
