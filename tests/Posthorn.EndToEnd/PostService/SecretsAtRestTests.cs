using System.Globalization;
using System.Text;
using Posthorn.Delivery.Signing;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.PostService;

/// <summary>
/// Regression: service URLs with Basic auth passwords and signing secrets were stored in plain
/// text. Now encrypted at rest, they must still reach the receiver exactly (credentials and
/// signature) after a restart, whether the service was added through the API or the CLI.
/// </summary>
public sealed class SecretsAtRestTests
{
    private const string ApiPassword = "Api-Pa55-at-rest";
    private const string CliPassword = "Cli-Pa55-at-rest";
    private const string ApiSecret = "whsec_YXBpLXNpZ25pbmctc2VjcmV0LWF0LXJlc3Q=";
    private const string CliSecret = "cli-signing-secret-at-rest";

    [Fact]
    public async Task ServicesAddedByApiAndCli_DeliverWithTheirBasicAuthAndSignature_AfterARestart_AndNeitherIsInTheDatabaseFile()
    {
        await using var site = await Site.StartAsync();
        await using var receiver = await Receiver.StartAsync();
        var work = await Repos.CreateAsync(site, "vault");
        await site.ApiJsonAsync(HttpMethod.Post, "/api/repos/alice/vault/services", body: new
        {
            url = $"http://apiuser:{ApiPassword}@127.0.0.1:{receiver.Port}/api",
            format = "json",
            secret = ApiSecret,
        });
        var added = await site.Server.CliAsync(null, "service", "add", "alice/vault", $"http://cliuser:{CliPassword}@127.0.0.1:{receiver.Port}/cli", "--format", "json", "--secret", CliSecret);
        added.EnsureSuccess("service add");
        Assert.DoesNotContain(CliPassword, added.Stdout, StringComparison.Ordinal);

        await site.Server.KillAsync();
        await site.Server.StartAsync();
        await Repos.CommitAsync(site, work, "a.txt");
        await Repos.PushAsync(site, work, "vault", "main");

        var requests = await receiver.WaitForAsync(2, TimeSpan.FromSeconds(90));
        AssertDelivered(requests.Single(r => r.PathAndQuery == "/api"), "apiuser", ApiPassword, ApiSecret);
        AssertDelivered(requests.Single(r => r.PathAndQuery == "/cli"), "cliuser", CliPassword, CliSecret);

        var stored = DatabaseFilesText(site.Server.DataDirectory);
        foreach (var clear in new[] { ApiPassword, CliPassword, ApiSecret, CliSecret })
        {
            Assert.DoesNotContain(clear, stored, StringComparison.Ordinal);
        }
    }

    private static void AssertDelivered(ReceivedRequest request, string user, string password, string secret)
    {
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")), request.Header("authorization"));
        var expected = WebhookSigner.Sign(
            request.Header(WebhookSigner.IdHeader),
            long.Parse(request.Header(WebhookSigner.TimestampHeader), CultureInfo.InvariantCulture),
            request.Body,
            [secret]);
        Assert.Equal(expected, request.Header(WebhookSigner.SignatureHeader));
    }

    /// <summary>The SQLite database with its write-ahead log, as bytes read as text (SQLite stores text as UTF-8).</summary>
    private static string DatabaseFilesText(string dataDirectory) =>
        string.Concat(Directory.GetFiles(dataDirectory, "posthorn.db*").Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            return reader.ReadToEnd();
        }));
}
