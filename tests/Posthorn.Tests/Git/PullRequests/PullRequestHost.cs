using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.PullRequests;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;
using Posthorn.Git.PullRequests;
using Posthorn.Git.Repositories;

namespace Posthorn.Tests.Git.PullRequests;

/// <summary>
/// <see cref="SmartHttpHost"/> (real git over loopback, real SQLite) with pull requests registered and a
/// recording announcer; a repository alice/project whose main has one commit and whose branch "feature"
/// adds feature.txt on top.
/// </summary>
public sealed class PullRequestHost : IAsyncDisposable
{
    private PullRequestHost(GitSandbox sandbox, SmartHttpHost host, RecordingAnnouncer announcer, string bare, string work)
    {
        Sandbox = sandbox;
        Host = host;
        Announcer = announcer;
        Bare = bare;
        Work = work;
    }

    public GitSandbox Sandbox { get; }

    public SmartHttpHost Host { get; }

    public RecordingAnnouncer Announcer { get; }

    /// <summary>The bare repository on the server's disk.</summary>
    public string Bare { get; }

    /// <summary>A clone pushing over HTTP as alice.</summary>
    public string Work { get; }

    public string Url => Host.UrlOf("alice", "project");

    public PullRequestWorkflow Workflow => Host.Services.GetRequiredService<PullRequestWorkflow>();

    public IPullRequestStore Store => Host.Storage.PullRequests;

    public PushIntake Intake => Host.Services.GetRequiredService<PushIntake>();

    public static async Task<PullRequestHost> StartAsync()
    {
        var sandbox = new GitSandbox();
        var announcer = new RecordingAnnouncer();
        var host = await SmartHttpHost.StartAsync(sandbox.PathOf("repos"), configure: (services, storage) =>
        {
            services.AddSingleton(storage.PullRequests);
            services.AddSingleton(storage.Repositories);
            services.AddSingleton<IRepositoryFolders>(sp => new Folders(sp.GetRequiredService<BareRepositories>()));
            services.AddSingleton<IPullRequestAnnouncer>(announcer);
            services.AddPosthornPullRequests();
        });
        var bare = await host.Repositories.CreateAsync("alice", "project", CancellationToken.None);
        var work = sandbox.NewWorkTree("work", "a.txt");
        sandbox.Git(work, $"push -q {host.UrlOf("alice", "project")} main");
        sandbox.Git(work, "checkout -q -b feature");
        sandbox.Commit(work, "feature.txt", "one\ntwo\n");
        sandbox.Git(work, $"push -q {host.UrlOf("alice", "project")} feature");
        sandbox.Git(work, "checkout -q main");
        return new PullRequestHost(sandbox, host, announcer, bare, work);
    }

    public async Task<Repository> RepositoryAsync() => await Host.RepositoryAsync("alice", "project");

    public async Task<PullRequest> OpenAsync(string source = "feature", string destination = "main") =>
        await Workflow.OpenAsync(await RepositoryAsync(), "alice", new PullRequestDraft("Add the feature", "Please.", source, destination), CancellationToken.None);

    public async Task<PullRequest> FindAsync(long id) => (await Store.FindPullRequestAsync((await RepositoryAsync()).Id, id, CancellationToken.None))!;

    public async Task<IReadOnlyList<Push>> PushesAsync() =>
        (await Host.Pushes.ListPushesAsync((await RepositoryAsync()).Id, 100, null, CancellationToken.None)).Reverse().ToList();

    /// <summary>Commits <paramref name="file"/> on <paramref name="branch"/> in the work tree and pushes it over HTTP.</summary>
    public string CommitAndPush(string branch, string file, string? content = null)
    {
        Sandbox.Git(Work, $"checkout -q {branch}");
        var commit = Sandbox.Commit(Work, file, content);
        Sandbox.Git(Work, $"push -q {Url} {branch}");
        Sandbox.Git(Work, "checkout -q main");
        return commit;
    }

    public string TipOf(string refName) => Sandbox.RevParse(Bare, refName);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Sandbox.Dispose();
    }

    private sealed class Folders(BareRepositories bare) : IRepositoryFolders
    {
        public string PathOf(string owner, string slug) => bare.GetDirectory(owner, slug);

        public Task CreateAsync(string owner, string slug, CancellationToken ct) => bare.CreateAsync(owner, slug, ct);

        public Task CreateAsync(string owner, string slug, string scm, CancellationToken ct) => bare.CreateAsync(owner, slug, ct);

        public Task DeleteAsync(string owner, string slug, CancellationToken ct) => Task.CompletedTask;
    }
}
