using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Posthorn.Git;
using Posthorn.Git.Processes;
using Posthorn.Web.Pages.Repositories;

namespace Posthorn.Tests.Web.Pages;

/// <summary>The pages that run git take their slot from the same cap as git requests, and say so when there is none.</summary>
public sealed class PageGitSlotTests
{
    private readonly GitProcessGate gate = new(
        Options.Create(new GitOptions { MaxConcurrentProcesses = 2, MaxProcessesPerClient = 1, ProcessQueueTimeout = TimeSpan.Zero }), TimeProvider.System);

    [Fact]
    public async Task A_view_holds_one_slot_until_it_is_done()
    {
        var (slot, busy) = await PageGitSlot.EnterAsync(Request("192.0.2.1"));

        Assert.Null(busy);
        Assert.Equal(1, gate.Running);
        slot!.Dispose();
        Assert.Equal(0, gate.Running);
    }

    [Fact]
    public async Task A_client_at_its_share_gets_the_503_page_with_Retry_After()
    {
        using var held = (await gate.EnterAsync("192.0.2.1", CancellationToken.None)).Slot;
        var context = Request("192.0.2.1");

        var (slot, busy) = await PageGitSlot.EnterAsync(context);

        Assert.Null(slot);
        var page = Assert.IsType<ViewResult>(busy);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, page.StatusCode);
        Assert.Contains("from your address", (string)page.ViewData["Message"]!, StringComparison.Ordinal);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());

        // Another address still has room under the overall cap.
        var (other, _) = await PageGitSlot.EnterAsync(Request("192.0.2.2"));
        Assert.NotNull(other);
        other!.Dispose();
    }

    private DefaultHttpContext Request(string address)
    {
        var services = new ServiceCollection().AddSingleton(gate).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        return context;
    }
}
