namespace Posthorn.Core.PostServices;

public interface IPostServiceStore
{
    /// <summary>Creates a service without a per-repository limit (tools and tests; the API, pages and CLI use the overload with a limit).</summary>
    Task<PostService> CreateServiceAsync(long repositoryId, PostServiceSettings settings, DateTimeOffset now, CancellationToken ct) =>
        CreateServiceAsync(repositoryId, settings, int.MaxValue, now, ct);

    /// <summary>
    /// Creates a service unless the repository already has <paramref name="maxPerRepository"/>; the count
    /// and the insert are one transaction, so concurrent requests cannot pass the limit together.
    /// </summary>
    /// <exception cref="ConflictException">The repository has its maximum number of services.</exception>
    Task<PostService> CreateServiceAsync(long repositoryId, PostServiceSettings settings, int maxPerRepository, DateTimeOffset now, CancellationToken ct);

    Task<PostService?> FindServiceAsync(long repositoryId, long serviceId, CancellationToken ct);

    Task<IReadOnlyList<PostService>> ListServicesAsync(long repositoryId, CancellationToken ct);

    /// <summary>Replaces the settings; health is untouched. False when there is no such service.</summary>
    Task<bool> UpdateServiceAsync(long repositoryId, long serviceId, PostServiceSettings settings, CancellationToken ct);

    /// <summary>Deletes the service with its deliveries and attempts.</summary>
    Task<bool> DeleteServiceAsync(long repositoryId, long serviceId, CancellationToken ct);

    /// <summary>
    /// Clears pause, disable and the failure count (an admin re-enabling, or a successful test). A
    /// service that was paused or disabled resumes half-open: one delivery is sent first, and the
    /// backlog only after it succeeds.
    /// </summary>
    Task<bool> ResetHealthAsync(long serviceId, CancellationToken ct);

    /// <summary>Stops sending to the service until <paramref name="until"/>; its deliveries stay queued.</summary>
    Task PauseServiceAsync(long serviceId, DateTimeOffset until, CancellationToken ct) => PauseServiceAsync(serviceId, until, 0, ct);

    /// <summary>As <see cref="PauseServiceAsync(long, DateTimeOffset, CancellationToken)"/>, only while the service is still failing.</summary>
    /// <param name="whileFailing">
    /// The consecutive failures the decision was taken on; the pause applies only while the count is
    /// still at least that (0: always). A success recorded in between (by another node, or the Test
    /// button) cleared the count and the pause, and a pause decided before it must not come back.
    /// </param>
    /// <returns>Whether the service was paused.</returns>
    Task<bool> PauseServiceAsync(long serviceId, DateTimeOffset until, int whileFailing, CancellationToken ct);

    /// <summary>Stops sending to the service until it is re-enabled, recording why; its deliveries stay queued.</summary>
    Task DisableServiceAsync(long serviceId, string reason, DateTimeOffset now, CancellationToken ct) => DisableServiceAsync(serviceId, reason, now, 0, ct);

    /// <summary>As <see cref="DisableServiceAsync(long, string, DateTimeOffset, CancellationToken)"/>, only while the service is still failing (see <see cref="PauseServiceAsync(long, DateTimeOffset, int, CancellationToken)"/>).</summary>
    /// <returns>Whether the service was disabled.</returns>
    Task<bool> DisableServiceAsync(long serviceId, string reason, DateTimeOffset now, int whileFailing, CancellationToken ct);

    /// <summary>
    /// Ends a half-open service's probe hold (the pause that lasts until <paramref name="holdUntil"/>,
    /// the probe's lease) at <paramref name="now"/>, unless the service was paused again meanwhile.
    /// </summary>
    Task<bool> EndProbeHoldAsync(long serviceId, DateTimeOffset holdUntil, DateTimeOffset now, CancellationToken ct);
}
