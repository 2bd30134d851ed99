namespace Posthorn.Core.Payloads;

/// <summary>The server's public base URL as payloads state it (<c>canon_url</c>), configured once per process.</summary>
public sealed record CanonUrl(string Value);
