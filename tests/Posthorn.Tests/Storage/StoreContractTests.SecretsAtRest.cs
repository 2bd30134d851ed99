using Posthorn.Core.PostServices;
using Posthorn.Storage.Secrets;

namespace Posthorn.Tests.Storage;

/// <summary>
/// Regression: service URLs (with Basic auth passwords or tokens) and signing secrets were stored in
/// plain text. They are now encrypted with Data Protection; the raw columns are read directly.
/// </summary>
public abstract partial class StoreContractTests
{
    private const string Password = "Pa55-w0rd-in-url";
    private const string Token = "tok-in-query-7f3a";
    private const string Secret = "whsec_c2lnbmluZy1zZWNyZXQtYXQtcmVzdA==";
    private static readonly string SecretUrl = $"https://hookuser:{Password}@ci.example.com/hook?token={Token}";

    [Fact]
    public async Task ServiceUrlAndSecrets_AreStoredEncrypted_AndRoundTrip()
    {
        var repository = await RepositoryAsync();
        var created = await Storage.PostServices.CreateServiceAsync(repository.Id, new PostServiceSettings(SecretUrl, PayloadFormat.Json, true, [Secret]), T0, Ct);

        await AssertStoredEncryptedAsync(created.Id);
        var found = (await Storage.PostServices.FindServiceAsync(repository.Id, created.Id, Ct))!;
        AssertCredentials(found, SecretUrl, Secret);

        var rotated = new PostServiceSettings(SecretUrl + "&v=2", PayloadFormat.Json, true, ["whsec_bmV3LXNlY3JldA==", Secret]);
        Assert.True(await Storage.PostServices.UpdateServiceAsync(repository.Id, created.Id, rotated, Ct));
        await AssertStoredEncryptedAsync(created.Id);
        var listed = Assert.Single(await Storage.PostServices.ListServicesAsync(repository.Id, Ct));
        AssertCredentials(listed, rotated.Url, [.. rotated.Secrets]);
    }

    [Fact]
    public async Task ServiceSecrets_WrittenByOneHandle_AreReadByAnother()
    {
        // Another process (the CLI beside the server) or another node on the same database.
        var repository = await RepositoryAsync();
        var created = await Storage.PostServices.CreateServiceAsync(repository.Id, new PostServiceSettings(SecretUrl, PayloadFormat.Json, true, [Secret]), T0, Ct);
        var second = Fixture.OpenSecond();

        var found = (await second.PostServices.FindServiceAsync(repository.Id, created.Id, Ct))!;

        AssertCredentials(found, SecretUrl, Secret);
    }

    [Fact]
    public async Task PlainTextRowsFromBeforeEncryption_AreRead_AndEncryptedAtTheNextMigrate()
    {
        var (_, service, deliveryId) = await QueuedAsync();
        await Fixture.RawScalarAsync($"UPDATE post_services SET url = '{SecretUrl}', secrets = '[\"{Secret}\"]' WHERE id = {service.Id}");

        var legacy = (await Storage.PostServices.FindServiceAsync(service.RepositoryId, service.Id, Ct))!;
        AssertCredentials(legacy, SecretUrl, Secret);
        var claimed = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct));
        Assert.Equal((deliveryId, SecretUrl, Secret), (claimed.Delivery.Id, claimed.Service.Url, claimed.Service.Secrets.Single()));

        await Storage.MigrateAsync(Ct);

        await AssertStoredEncryptedAsync(service.Id);
        var after = (await Storage.PostServices.FindServiceAsync(service.RepositoryId, service.Id, Ct))!;
        AssertCredentials(after, SecretUrl, Secret);
    }

    [Fact]
    public async Task ValueEncryptedWithAKeyNoLongerInTheRing_ReadsAsAnUnreachableUrl_InsteadOfFailingEveryRead()
    {
        var repository = await RepositoryAsync();
        var lost = await ServiceAsync(repository.Id);
        var kept = await Storage.PostServices.CreateServiceAsync(repository.Id, new PostServiceSettings(SecretUrl, PayloadFormat.Json, true, [Secret]), T0, Ct);
        await Fixture.RawScalarAsync($"UPDATE post_services SET url = '{SecretColumns.Prefix}CfDJ8notAvalidPayload', secrets = '{SecretColumns.Prefix}CfDJ8notAvalidEither' WHERE id = {lost.Id}");

        var services = await Storage.PostServices.ListServicesAsync(repository.Id, Ct);

        AssertCredentials(services.Single(s => s.Id == lost.Id), SecretColumns.UnreadableUrl);
        AssertCredentials(services.Single(s => s.Id == kept.Id), SecretUrl, Secret);
    }

    private static void AssertCredentials(PostService service, string url, params string[] secrets)
    {
        Assert.Equal(url, service.Url);
        Assert.Equal(secrets, service.Secrets);
    }

    private async Task AssertStoredEncryptedAsync(long serviceId)
    {
        foreach (var column in new[] { "url", "secrets" })
        {
            var raw = (string)(await Fixture.RawScalarAsync($"SELECT {column} FROM post_services WHERE id = {serviceId}"))!;
            Assert.StartsWith(SecretColumns.Prefix, raw, StringComparison.Ordinal);
            foreach (var clear in new[] { Password, Token, Secret, "hookuser", "ci.example.com" })
            {
                Assert.DoesNotContain(clear, raw, StringComparison.Ordinal);
            }
        }
    }
}
