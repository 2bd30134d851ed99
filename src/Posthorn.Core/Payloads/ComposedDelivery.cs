namespace Posthorn.Core.Payloads;

/// <summary>
/// One delivery owed to one service: its event (<c>push</c>, <c>pullrequest:fulfilled</c>, ...) and its
/// document; null <see cref="Payload"/> means the push's own stored document (the unfiltered
/// bitbucket-post/json case, which stores nothing twice).
/// </summary>
public sealed record ComposedDelivery(string Event, string? Payload);
