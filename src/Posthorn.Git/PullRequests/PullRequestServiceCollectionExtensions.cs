using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Pushes;

namespace Posthorn.Git.PullRequests;

public static class PullRequestServiceCollectionExtensions
{
    /// <summary>
    /// Registers pull requests on git repositories: the merge engine, the workflow, and the tracker that
    /// follows recorded pushes. Needs an IPullRequestStore and an IPullRequestAnnouncer registered elsewhere.
    /// </summary>
    public static IServiceCollection AddPosthornPullRequests(this IServiceCollection services)
    {
        services.AddSingleton<MergeEngine>();
        services.AddSingleton<PullRequestRef>();
        services.AddSingleton<BranchTips>();
        services.AddSingleton<PullRequestChanges>();
        services.AddSingleton<PullRequestAnnouncing>();
        services.AddSingleton<PullRequestTracker>();
        services.AddSingleton<IRecordedPushObserver>(sp => sp.GetRequiredService<PullRequestTracker>());
        services.AddSingleton<PullRequestWorkflow>();
        return services;
    }
}
