using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Posthorn.Core.Payloads;
using Posthorn.Core.Pushes;
using Posthorn.Git.Commits;
using Posthorn.Git.Hooks;
using Posthorn.Git.Mercurial;
using Posthorn.Git.Processes;
using Posthorn.Git.Refs;
using Posthorn.Git.Repositories;
using Posthorn.Git.SmartHttp;

namespace Posthorn.Git;

public static class GitServiceCollectionExtensions
{
    /// <summary>
    /// Registers git hosting: smart HTTP handlers, bare repositories on disk and the push payload
    /// builder, and Mercurial hosting beside it. Binds "Git" to <see cref="GitOptions"/> and "Payload" to <see cref="PayloadOptions"/>,
    /// validated at start-up. Needs an IAccountStore registered elsewhere (for the payload's authors).
    /// </summary>
    public static IServiceCollection AddPosthornGit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GitOptions>().Bind(configuration.GetSection("Git"))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.AddOptions<PayloadOptions>().Bind(configuration.GetSection("Payload"))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GitRunner>();
        services.AddSingleton<GitProcessGate>();
        services.AddSingleton<ReceiveLock>();
        services.AddSingleton<RefRestorer>();
        services.AddSingleton<ReceivePackHandler>();
        services.AddSingleton<IRefReader, GitRefReader>();
        services.AddSingleton<TransactionHook>();
        services.AddSingleton<HookListener>();
        services.AddSingleton<Reconciliation>();
        services.AddSingleton<GitSmartHttp>();
        services.AddSingleton<BareRepositories>();
        services.AddSingleton<Housekeeping>();
        services.AddSingleton<IPushPayloadBuilder, PushPayloadBuilder>();
        return services.AddPosthornMercurial(configuration);
    }
}
