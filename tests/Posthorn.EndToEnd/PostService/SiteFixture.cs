using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.PostService;

/// <summary>
/// One server per backend, shared by a test class and started on first use, so a class pays for
/// each boot once. Subclasses say which configuration (environment) the server runs with.
/// </summary>
public abstract class SiteFixture : IAsyncLifetime
{
    private readonly Dictionary<string, Task<Site>> sites = [];
    private readonly Lock gate = new();

    protected abstract IDictionary<string, string> Environment { get; }

    protected virtual bool AllowPrivateTargets => true;

    /// <summary>Copies the server log out of the temporary folder (deleted on dispose) for post-mortems.</summary>
    public void KeepLog(Site site)
    {
        var folder = Path.Combine(Path.GetTempPath(), "posthorn-e2e-logs");
        Directory.CreateDirectory(folder);
        if (File.Exists(site.Server.LogPath))
        {
            File.Copy(site.Server.LogPath, Path.Combine(folder, $"{GetType().Name}-{site.Server.Port}.log"), overwrite: true);
        }
    }

    public Task<Site> SiteAsync(string backend = "sqlite")
    {
        lock (gate)
        {
            if (!sites.TryGetValue(backend, out var site))
            {
                site = Site.StartAsync(backend, Environment, AllowPrivateTargets);
                sites[backend] = site;
            }

            return site;
        }
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var site in sites.Values)
        {
            try
            {
                var started = await site;
                await started.Server.KillAsync();
                KeepLog(started);
                await started.DisposeAsync();
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException)
            {
                // It failed to start: the test that asked for it already reported why.
            }
        }
    }
}
