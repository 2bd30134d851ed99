namespace Posthorn.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task SignInSession_LiveUntilEnded_ThenGone()
    {
        var alice = await AccountAsync();
        await Storage.Sessions.StartSessionAsync(alice.Id, "s-1", T0, T0.AddDays(-30), Ct);

        Assert.True(await Storage.Sessions.IsSessionLiveAsync("s-1", T0.AddDays(-30), Ct));
        Assert.False(await Storage.Sessions.IsSessionLiveAsync("s-2", T0.AddDays(-30), Ct));
        Assert.True(await Storage.Sessions.EndSessionAsync("s-1", Ct));

        Assert.False(await Storage.Sessions.IsSessionLiveAsync("s-1", T0.AddDays(-30), Ct));
        Assert.False(await Storage.Sessions.EndSessionAsync("s-1", Ct));
    }

    [Fact]
    public async Task SignInSession_OlderThanNotBefore_IsNotLive_AndIsForgottenByTheNextSignIn()
    {
        var alice = await AccountAsync();
        await Storage.Sessions.StartSessionAsync(alice.Id, "old", T0, T0.AddDays(-30), Ct);

        Assert.False(await Storage.Sessions.IsSessionLiveAsync("old", T0.AddSeconds(1), Ct));
        await Storage.Sessions.StartSessionAsync(alice.Id, "new", T0.AddDays(31), T0.AddDays(1), Ct);

        // Forgotten, not merely expired: ending it finds nothing.
        Assert.False(await Storage.Sessions.EndSessionAsync("old", Ct));
        Assert.True(await Storage.Sessions.IsSessionLiveAsync("new", T0.AddDays(1), Ct));
    }
}
