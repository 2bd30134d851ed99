using Posthorn.Core.Pushes;

namespace Posthorn.Git.SmartHttp;

/// <summary>
/// What one receive-pack applied: the ref updates git accepted (rejected ones are absent), and the
/// distinct objects every ref pointed at just before (PayloadRequest.TipsBeforePush).
/// </summary>
public sealed record AcceptedPush(IReadOnlyList<RefUpdate> RefUpdates, IReadOnlyCollection<string> TipsBeforePush);
