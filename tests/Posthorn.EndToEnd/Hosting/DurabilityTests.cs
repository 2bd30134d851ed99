using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Hosting;

/// <summary>What the server keeps across a SIGKILL, and what a huge push costs it in memory.</summary>
public sealed class DurabilityTests : IAsyncLifetime
{
    private Site site = null!;

    public async Task InitializeAsync()
    {
        site = await Site.StartAsync();
        await site.CreateRepositoryAsync("big");
    }

    public async Task DisposeAsync() => await site.DisposeAsync();

    [Fact]
    public async Task KilledAndRestarted_EveryRecordedPushIsStillThere()
    {
        var work = await site.Git.InitWithCommitsAsync(Path.Combine(site.Folder.Path, "w"), "a");
        for (var i = 0; i < 3; i++)
        {
            await site.Git.CommitFileAsync(work, $"f{i}", $"{i}\n", $"Commit {i}");
            await site.Git.RunAsync(work, "push", site.Url("big"), "main");
        }

        var before = (await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/big/pushes")).GetProperty("pushes").ToString();
        await site.Server.KillAsync();
        await site.Server.StartAsync();
        var after = (await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/big/pushes")).GetProperty("pushes").ToString();

        Assert.Equal(before, after);
        Assert.Equal(3, System.Text.Json.JsonDocument.Parse(after).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task LargePush_OfRandomBlobs_KeepsServerMemoryFlat()
    {
        const int blobs = 11;
        const int blobSize = 10 * 1024 * 1024;
        var work = await site.Git.InitWithCommitsAsync(Path.Combine(site.Folder.Path, "huge"), "README");
        // Random bytes do not compress: zlib at level 0 keeps the client from spending seconds of CPU on
        // them (in add and again in the push's pack) and sends the server the same 110 MB.
        await site.Git.RunAsync(work, "config", "core.compression", "0");
        var buffer = new byte[blobSize];
        for (var i = 0; i < blobs; i++)
        {
            Random.Shared.NextBytes(buffer);
            await File.WriteAllBytesAsync(Path.Combine(work, $"blob{i}.bin"), buffer);
        }

        await site.Git.RunAsync(work, "add", "-A");
        await site.Git.RunAsync(work, "commit", "-q", "-m", "110 MB of random data");
        var baseline = site.Server.PeakMemoryBytes();

        await site.Git.RunAsync(work, "push", site.Url("big"), "main");

        var growth = site.Server.PeakMemoryBytes() - baseline;
        Assert.True(growth < 64L * 1024 * 1024, $"server peak memory grew by {growth / 1024 / 1024} MB for a {blobs * blobSize / 1024 / 1024} MB push");
        var pushes = await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/big/pushes");
        Assert.Equal(1, pushes.GetProperty("pushes").GetArrayLength());
    }
}
