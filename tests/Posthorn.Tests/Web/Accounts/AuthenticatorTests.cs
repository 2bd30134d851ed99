using Microsoft.AspNetCore.Identity;
using Posthorn.Core.Accounts;
using Posthorn.Tests.Storage;
using Posthorn.Web.Accounts;

namespace Posthorn.Tests.Web.Accounts;

/// <summary>
/// No user enumeration by timing: an unknown username must cost the same PBKDF2 verification as a
/// wrong password. Checked by behaviour (the real hasher is called once either way), not by a clock.
/// Runs on a real SQLite store.
/// </summary>
public sealed class AuthenticatorTests(SqliteStoreFixture fixture) : IClassFixture<SqliteStoreFixture>, IAsyncLifetime
{
    private readonly CountingHasher hasher = new();

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AuthenticatePassword_UnknownUsername_StillVerifiesAgainstAHash()
    {
        var (authenticator, _) = await ArrangeAsync();

        Assert.Null(await authenticator.AuthenticatePasswordAsync("nobody", "whatever-password", CancellationToken.None));

        Assert.Equal(1, hasher.Verifications);
    }

    [Fact]
    public async Task AuthenticatePassword_WrongPassword_VerifiesOnceLikeAnUnknownUsername()
    {
        var (authenticator, _) = await ArrangeAsync();

        Assert.Null(await authenticator.AuthenticatePasswordAsync("alice", "wrong-password", CancellationToken.None));

        Assert.Equal(1, hasher.Verifications);
    }

    [Fact]
    public async Task AuthenticatePassword_RightPassword_AnyCase_FindsTheAccount()
    {
        var (authenticator, alice) = await ArrangeAsync();

        Assert.Equal(alice.Id, (await authenticator.AuthenticatePasswordAsync("ALICE", "correct-horse", CancellationToken.None))?.Id);
    }

    [Theory]
    [InlineData("alice\n")]
    [InlineData("a/b")]
    public async Task AuthenticatePassword_UsernameTheRuleRefuses_IsRefusedBeforeAnyLookup(string username)
    {
        var (authenticator, _) = await ArrangeAsync();

        Assert.Null(await authenticator.AuthenticatePasswordAsync(username, "correct-horse", CancellationToken.None));
        Assert.Null(await authenticator.AuthenticatePasswordAsync(new string('a', 20_000), "correct-horse", CancellationToken.None));

        // Its shape is public knowledge, so no hash is spent hiding it.
        Assert.Equal(0, hasher.Verifications);
    }

    private async Task<(Authenticator Authenticator, Account Alice)> ArrangeAsync()
    {
        var hashing = new PasswordHashing(hasher);
        var alice = await new AccountRegistry(fixture.Storage.Accounts, hashing, TimeProvider.System)
            .CreateAsync("alice", "alice@example.com", "correct-horse", false, CancellationToken.None);
        hasher.Verifications = 0;
        return (new Authenticator(fixture.Storage.Accounts, hashing, TimeProvider.System), alice);
    }

    /// <summary>The real Identity hasher, counting verifications.</summary>
    private sealed class CountingHasher : IPasswordHasher<Account>
    {
        private readonly PasswordHasher<Account> real = new();

        public int Verifications { get; set; }

        public string HashPassword(Account user, string password) => real.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(Account user, string hashedPassword, string providedPassword)
        {
            Verifications++;
            return real.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
