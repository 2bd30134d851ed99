using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Git.Processes;
using Posthorn.Tests.Git.Mercurial;

namespace Posthorn.Tests.Web.Mercurial;

/// <summary>
/// hgweb processes count against the same process cap as git's: a client already holding its share
/// of processes is told 503 (busy) by the whole app, and gets served once its processes end.
/// </summary>
public sealed class HgProcessCapTests
{
    [Fact]
    public async Task HgClone_WhileTheClientHoldsItsShareOfProcesses_Is503_ThenServedWhenTheyEnd()
    {
        await using var host = await AppHost.StartAsync();
        var token = await host.SignInAsAsync("ann");
        (await host.Http.PostAsJsonAsync("/api/repos", new { owner = "ann", slug = "hgcap", scm = "hg" })).EnsureSuccessStatusCode();
        using var sandbox = new HgSandbox();
        var url = new UriBuilder(host.Http.BaseAddress!) { UserName = "ann", Password = token, Path = "/ann/hgcap" }.Uri.ToString();
        var gate = host.App.Services.GetRequiredService<GitProcessGate>();
        var held = new List<GitProcessSlot>();
        while (true)
        {
            var admission = await gate.EnterAsync("127.0.0.1", CancellationToken.None);
            if (admission.Slot is null)
            {
                break;
            }

            held.Add(admission.Slot);
        }

        var refused = await sandbox.TryHgAsync(sandbox.Root, "clone", url, sandbox.PathOf("refused"));
        held.ForEach(slot => slot.Dispose());
        var served = await sandbox.TryHgAsync(sandbox.Root, "clone", url, sandbox.PathOf("served"));

        Assert.NotEmpty(held);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("503", refused.Stdout + refused.Stderr, StringComparison.Ordinal);
        Assert.True(served.ExitCode == 0, served.Stderr);
        Assert.Equal(0, gate.Running);
    }
}
