using System.Text.Json;

namespace Posthorn.Tests.Git;

/// <summary>
/// A commit is announced when a branch first reaches it, however it came into the repository:
/// counted against every ref, one pushed under a tag (or a custom ref) and later fast-forwarded
/// onto main was listed by neither push.
/// </summary>
public sealed class CommitsReachingABranchTests : IAsyncLifetime
{
    private readonly GitSandbox sandbox = new();
    private SmartHttpHost host = null!;
    private string url = "";

    public async Task InitializeAsync()
    {
        host = await SmartHttpHost.StartAsync(sandbox.PathOf("repos"));
        await host.Repositories.CreateAsync("alice", "project", CancellationToken.None);
        url = host.UrlOf("alice", "project");
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        sandbox.Dispose();
    }

    [Theory]
    [InlineData("refs/tags/v1")]
    [InlineData("refs/custom/x")]
    public async Task ACommitFirstPushedUnderAnotherRef_IsListed_WhenMainReachesIt(string otherRef)
    {
        var work = sandbox.NewWorkTree("work", "a.txt");
        sandbox.Git(work, $"push -q {url} main");
        var x = sandbox.Commit(work, "x.txt", message: "X\n");
        sandbox.Git(work, $"push -q {url} {x}:{otherRef}");
        var y = sandbox.Commit(work, "y.txt", message: "Y\n");

        sandbox.Git(work, $"push -q {url} main");

        var pushes = await PayloadsAsync();
        Assert.Equal(3, pushes.Count);
        Assert.Equal(0, pushes[1].GetProperty("commit_count").GetInt32()); // no branch reaches X yet
        Assert.Equal(2, pushes[2].GetProperty("commit_count").GetInt32());
        Assert.Equal([x, y], pushes[2].GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("raw_node").GetString()));
    }

    [Fact]
    public async Task CommitsAnotherBranchReached_AreNotListedAgain()
    {
        var work = sandbox.NewWorkTree("work", "a.txt");
        sandbox.Git(work, $"push -q {url} main");
        sandbox.Git(work, "checkout -q -b feature");
        sandbox.Commit(work, "f.txt");
        sandbox.Git(work, $"push -q {url} feature");

        sandbox.Git(work, $"push -q {url} feature:refs/heads/copy");

        var pushes = await PayloadsAsync();
        Assert.Equal(1, pushes[1].GetProperty("commit_count").GetInt32());
        Assert.Equal(0, pushes[2].GetProperty("commit_count").GetInt32());
    }

    private async Task<List<JsonElement>> PayloadsAsync()
    {
        var repository = await host.RepositoryAsync("alice", "project");
        var pushes = (await host.Pushes.ListPushesAsync(repository.Id, 100, null, CancellationToken.None)).Reverse().ToList();
        var payloads = new List<JsonElement>();
        foreach (var push in pushes)
        {
            payloads.Add(JsonDocument.Parse((await host.Pushes.GetPayloadAsync(push.Id, CancellationToken.None))!).RootElement);
        }

        return payloads;
    }
}
