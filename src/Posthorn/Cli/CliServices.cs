using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Extensions;

namespace Posthorn.Cli;

/// <summary>
/// The same services the server uses, opened for one command: verbs go through the same rules and
/// the same storage, so they work while a server runs on the same data.
/// </summary>
public static class CliServices
{
    public static async Task<ServiceProvider> OpenAsync(CliSettings settings, CancellationToken ct)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPosthornDomain(new ConfigurationBuilder().AddEnvironmentVariables().Build(), settings.DataDirectory, settings.Database, publicUrl: null);
        var provider = services.BuildServiceProvider();
        await provider.MigrateStorageAsync(ct);
        return provider;
    }
}
