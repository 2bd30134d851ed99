namespace Posthorn.Core.Payloads;

/// <summary>The payload JSON document and the true number of new commits (which may exceed those listed).</summary>
public sealed record BuiltPayload(string Json, int CommitCount);
