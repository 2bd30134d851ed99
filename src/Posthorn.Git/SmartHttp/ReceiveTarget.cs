using Posthorn.Core.Repositories;

namespace Posthorn.Git.SmartHttp;

/// <summary>The repository a receive-pack request was admitted to, its directory on disk, and who is pushing.</summary>
public sealed record ReceiveTarget(Repository Repository, string GitDirectory, string Pusher);
