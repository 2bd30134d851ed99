using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;

namespace Posthorn.Git.Mercurial;

public static class MercurialServiceCollectionExtensions
{
    /// <summary>
    /// Registers Mercurial hosting beside git (call after AddPosthornGit): hgweb per request, the push
    /// path, and the <see cref="ScmSupport"/> through which <see cref="PushIntake"/> reads hg refs and
    /// builds hg payloads. Binds "Mercurial" to <see cref="MercurialOptions"/>, validated at start-up.
    /// </summary>
    public static IServiceCollection AddPosthornMercurial(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MercurialOptions>().Bind(configuration.GetSection(MercurialOptions.SectionName))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton<HgRepositories>();
        services.AddSingleton<HgRefReader>();
        services.AddSingleton<HgRecordedRefs>();
        services.AddSingleton<HgPayloadBuilder>();
        services.AddSingleton<HgWebGateway>();
        services.AddSingleton<HgPushHandler>();
        services.AddSingleton(sp => new ScmSupport(Scms.Mercurial, sp.GetRequiredService<HgRefReader>(), sp.GetRequiredService<HgPayloadBuilder>()));
        return services;
    }
}
