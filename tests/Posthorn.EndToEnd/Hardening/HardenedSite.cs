using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Hardening;

/// <summary>One running Posthorn with alice/hardened (bob read, carol write, dave admin), shared by a test class.</summary>
public sealed class HardenedSite : IAsyncLifetime
{
    public const string Slug = "hardened";

    public Site Site { get; private set; } = null!;

    public PosthornServer Server => Site.Server;

    public async Task InitializeAsync()
    {
        Site = await Site.StartAsync();
        await Site.CreateRepositoryAsync(Slug);
    }

    public async Task DisposeAsync() => await Site.DisposeAsync();
}
