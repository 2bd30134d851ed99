using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Posthorn.Delivery.Signing;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.MultiNode;

/// <summary>
/// Secrets at rest with several nodes: the key ring lives in the PostgreSQL database, so a service
/// whose credentials one node encrypted is delivered by another with the same Basic auth and signature.
/// </summary>
public sealed class MultiNodeSecretsTests
{
    private const string HookPassword = "Multi-node-Pa55";
    private const string Secret = "whsec_bXVsdGktbm9kZS1zaWduaW5nLXNlY3JldA==";

    [Fact]
    public async Task ServiceAddedThroughOneNode_IsDeliveredByAnother_WithItsBasicAuthAndSignature()
    {
        await using var cluster = await Cluster.CreateAsync(new Dictionary<string, string>());
        var nodes = await Task.WhenAll(cluster.StartNodeAsync("node-a"), cluster.StartNodeAsync("node-b"));
        await using var receiver = await Receiver.StartAsync();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/repos/alice/r/services"))
        {
            request.Headers.Authorization = PosthornServer.Basic("alice", Cluster.Password);
            request.Content = JsonContent.Create(new { url = $"http://hookuser:{HookPassword}@127.0.0.1:{receiver.Port}/hook", format = "json", secret = Secret });
            using var created = await nodes[0].Http.SendAsync(request);
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        // Only node B is left to read the credentials node A encrypted.
        await nodes[0].KillAsync();
        var work = await cluster.Git.InitWithCommitsAsync(Path.Combine(cluster.Folder.Path, "work"), "a.txt");
        await cluster.Git.RunAsync(work, "push", "-q", cluster.GitUrl(nodes[1]), "main");

        var delivered = Assert.Single(await receiver.WaitForAsync(1, TimeSpan.FromSeconds(90)));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"hookuser:{HookPassword}")), delivered.Header("authorization"));
        var expected = WebhookSigner.Sign(
            delivered.Header(WebhookSigner.IdHeader), long.Parse(delivered.Header(WebhookSigner.TimestampHeader), CultureInfo.InvariantCulture), delivered.Body, [Secret]);
        Assert.Equal(expected, delivered.Header(WebhookSigner.SignatureHeader));
        Assert.False(Directory.Exists(Path.Combine(cluster.DataDirectory, "keys")), "on PostgreSQL the key ring belongs in the database");
    }
}
