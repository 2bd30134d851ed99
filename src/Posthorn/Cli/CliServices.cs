using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Delivery;
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
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        if (Environment.GetEnvironmentVariable("POSTHORN_ALLOW_PRIVATE_TARGETS") is "1" or "true")
        {
            configuration["Delivery:AllowPrivateTargets"] = "true";
        }

        services.AddPosthornDomain(configuration, settings.DataDirectory, settings.Database, PublishedUrl.For(settings.DataDirectory));
        // Delivery services for `service test` (a ping sent from this process) and the operations the pages share; nothing is hosted.
        services.AddPostDelivery(configuration);
        services.AddSingleton<Web.PostServices.PostServiceOperations>();
        var provider = services.BuildServiceProvider();
        await provider.MigrateStorageAsync(ct);
        return provider;
    }
}
