using Posthorn.Core;

namespace Posthorn.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task CreateAccount_UsernameOrEmailTakenInAnyCase_ThrowsConflict()
    {
        await Storage.Accounts.CreateAccountAsync("alice", "Alice@Example.com", "h", false, T0, Ct);

        await Assert.ThrowsAsync<ConflictException>(() => Storage.Accounts.CreateAccountAsync("ALICE", "other@example.com", "h", false, T0, Ct));
        await Assert.ThrowsAsync<ConflictException>(() => Storage.Accounts.CreateAccountAsync("bob", "alice@EXAMPLE.com", "h", false, T0, Ct));
    }

    [Fact]
    public async Task FindAccount_IgnoresCase_AndRoundTripsEveryField()
    {
        var created = await Storage.Accounts.CreateAccountAsync("alice", "alice@example.com", "hash", true, T0, Ct);

        var found = await Storage.Accounts.FindAccountAsync("ALICE", Ct);

        Assert.Equal(created, found);
        Assert.Equal(created, await Storage.Accounts.FindAccountByIdAsync(created.Id, Ct));
        Assert.Null(await Storage.Accounts.FindAccountAsync("nobody", Ct));
    }

    [Fact]
    public async Task FindUsernamesByEmail_MapsKnownEmailsCaseInsensitively_AndOmitsUnknown()
    {
        await AccountAsync("alice");
        await AccountAsync("bob");

        var map = await Storage.Accounts.FindUsernamesByEmailAsync(["ALICE@example.com", "bob@example.com", "carol@example.com"], Ct);

        Assert.Equal(2, map.Count);
        Assert.Equal("alice", map["ALICE@example.com"]);
        Assert.Equal("bob", map["bob@example.com"]);
        Assert.Empty(await Storage.Accounts.FindUsernamesByEmailAsync([], Ct));
    }

    [Fact]
    public async Task ListAccounts_OrdersByUsername_AndSetPasswordHashReportsMissingAccount()
    {
        await AccountAsync("bob");
        var alice = await AccountAsync("alice");

        Assert.Equal(["alice", "bob"], (await Storage.Accounts.ListAccountsAsync(Ct)).Select(a => a.Username));
        Assert.True(await Storage.Accounts.SetPasswordHashAsync(alice.Id, "new", Ct));
        Assert.Equal("new", (await Storage.Accounts.FindAccountByIdAsync(alice.Id, Ct))!.PasswordHash);
        Assert.False(await Storage.Accounts.SetPasswordHashAsync(alice.Id + 1000, "new", Ct));
    }

    [Fact]
    public async Task UseToken_FindsAccountAndStampsLastUse_UntilRevoked()
    {
        var alice = await AccountAsync();
        var token = await Storage.Accounts.CreateTokenAsync(alice.Id, "ci", "ph_abc", "hash-1", T0, Ct);

        var used = await Storage.Accounts.UseTokenAsync("hash-1", T0.AddHours(1), Ct);

        Assert.NotNull(used);
        Assert.Equal(alice.Id, used.Value.Account.Id);
        Assert.Equal(T0.AddHours(1), used.Value.Token.LastUsedAt);
        Assert.Equal([token.Id], (await Storage.Accounts.ListTokensAsync(alice.Id, Ct)).Select(t => t.Id));
        Assert.False(await Storage.Accounts.RevokeTokenAsync(alice.Id + 1000, token.Id, Ct));
        Assert.True(await Storage.Accounts.RevokeTokenAsync(alice.Id, token.Id, Ct));
        Assert.Null(await Storage.Accounts.UseTokenAsync("hash-1", T0, Ct));
    }

    [Fact]
    public async Task UseToken_StampsLastUseAtMostOncePerResolution()
    {
        var alice = await AccountAsync();
        await Storage.Accounts.CreateTokenAsync(alice.Id, "ci", "ph_abc", "hash-1", T0, Ct);
        await Storage.Accounts.UseTokenAsync("hash-1", T0.AddHours(1), Ct);

        await Storage.Accounts.UseTokenAsync("hash-1", T0.AddHours(1).AddSeconds(30), Ct);
        var soon = (await Storage.Accounts.ListTokensAsync(alice.Id, Ct)).Single();
        await Storage.Accounts.UseTokenAsync("hash-1", T0.AddHours(2), Ct);
        var later = (await Storage.Accounts.ListTokensAsync(alice.Id, Ct)).Single();

        Assert.Equal(T0.AddHours(1), soon.LastUsedAt);
        Assert.Equal(T0.AddHours(2), later.LastUsedAt);
    }

    [Fact]
    public async Task CreateToken_SameHashTwice_ThrowsConflict()
    {
        var alice = await AccountAsync();
        await Storage.Accounts.CreateTokenAsync(alice.Id, "a", "p", "same", T0, Ct);

        await Assert.ThrowsAsync<ConflictException>(() => Storage.Accounts.CreateTokenAsync(alice.Id, "b", "p", "same", T0, Ct));
    }
}
