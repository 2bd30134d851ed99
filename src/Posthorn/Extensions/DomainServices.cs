using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Posthorn.Core.Accounts;
using Posthorn.Core.Deliveries;
using Posthorn.Core.Payloads;
using Posthorn.Core.PostServices;
using Posthorn.Core.PullRequests;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;
using Posthorn.Git;
using Posthorn.Git.PullRequests;
using Posthorn.Storage;
using Posthorn.Storage.Secrets;
using Posthorn.Web.Accounts;
using Posthorn.Web.Auth;
using Posthorn.Web.Hosting;
using Posthorn.Web.Repositories;

namespace Posthorn.Extensions;

/// <summary>Storage and the application services shared by `serve` and every other verb.</summary>
public static class DomainServices
{
    public static IServiceCollection AddPosthornDomain(
        this IServiceCollection services, IConfiguration configuration, string dataDirectory, string? database, string? publicUrl)
    {
        OwnerOnlyFiles.CreateFolder(dataDirectory);
        services.TryAddSingleton(TimeProvider.System);
        // Every verb and the server open the same key ring (DataProtection:KeysFolder, else the data
        // folder's keys/ or, on PostgreSQL, the database), so all of them read each other's secrets.
        var keysFolder = configuration["DataProtection:KeysFolder"];
        services.AddSingleton(sp => PosthornStorage.Open(database, dataDirectory, sp.GetRequiredService<TimeProvider>(), keysFolder));

        // Registered before the web layer's AddDataProtection (which only adds what is missing):
        // sign-in cookies use the same key ring, so they survive restarts and work on every node.
        services.AddSingleton<IDataProtectionProvider>(sp => sp.GetRequiredService<StorageHandle>().DataProtection);
        services.AddSingleton<IAccountStore>(sp => sp.GetRequiredService<StorageHandle>().Accounts);
        services.AddSingleton<ISessionStore>(sp => sp.GetRequiredService<StorageHandle>().Sessions);
        services.AddSingleton<IRepositoryStore>(sp => sp.GetRequiredService<StorageHandle>().Repositories);
        services.AddSingleton<IPushStore>(sp => sp.GetRequiredService<StorageHandle>().Pushes);
        services.AddSingleton<IPostServiceStore>(sp => sp.GetRequiredService<StorageHandle>().PostServices);
        services.AddSingleton<IDeliveryStore>(sp => sp.GetRequiredService<StorageHandle>().Deliveries);
        services.AddSingleton<IPullRequestStore>(sp => sp.GetRequiredService<StorageHandle>().PullRequests);
        services.AddSingleton<IDeliveryWakeup>(sp => sp.GetRequiredService<StorageHandle>().Wakeup);
        services.AddSingleton<IStorageProbe, StorageProbe>();
        services.AddOptions<PostServiceOptions>().Bind(configuration.GetSection(PostServiceOptions.SectionName))
            .Validate(o => o.Validate().Count == 0, "PostServices:MaxPerRepository must be between 1 and 1000.").ValidateOnStart();
        services.AddPosthornGit(configuration);
        services.AddPosthornPullRequests();
        services.PostConfigure<GitOptions>(o => o.RepositoriesRoot = Path.Combine(dataDirectory, "repositories"));
        services.AddSingleton<IRepositoryFolders, BareRepositoryFolders>();
        services.AddSingleton<PushIntake>();
        services.AddSingleton<IPullRequestAnnouncer, PullRequestAnnouncer>();
        services.AddSingleton(sp => new CanonUrl(sp.GetRequiredService<IOptions<ServerOptions>>().Value.PublicUrl));
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<Authenticator>();
        services.AddSingleton<AccountRegistry>();
        services.AddSingleton<RepositoryCatalog>();
        services.AddSingleton<SignInThrottle>();
        services.Configure<ServerOptions>(o =>
        {
            o.DataDirectory = dataDirectory;
            o.PublicUrl = publicUrl ?? o.PublicUrl;
        });
        return services;
    }

    public static async Task MigrateStorageAsync(this IServiceProvider services, CancellationToken ct) =>
        await services.GetRequiredService<StorageHandle>().MigrateAsync(ct);

    private sealed class StorageProbe(StorageHandle storage) : IStorageProbe
    {
        public Task<bool> IsReadyAsync(CancellationToken ct) => storage.PingAsync(ct);
    }
}
