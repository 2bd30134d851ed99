using System.Text;
using Posthorn.Delivery.Signing;
using Posthorn.Tests.Delivery.Support;

namespace Posthorn.Tests.Delivery;

public sealed class WebhookSignerTests
{
    /// <summary>
    /// The test vector published with the Standard Webhooks spec and its reference libraries
    /// (standard-webhooks/standard-webhooks, libraries/*/test: msg_p5jXN8AQM9LWM0D4loKWxJek);
    /// the npm library 1.1.1 in tests/verifiers signs it to the same value.
    /// </summary>
    [Fact]
    public void Sign_SpecTestVector_MatchesPublishedSignature()
    {
        var signature = WebhookSigner.Sign(
            "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Encoding.UTF8.GetBytes("{\"test\": 2432232314}"), ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]);
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void Sign_TwoSecrets_OneSignaturePerSecretSpaceSeparated()
    {
        var signature = WebhookSigner.Sign("id", 1, "x"u8, ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "plain secret"]);
        var parts = signature.Split(' ');
        Assert.Equal(2, parts.Length);
        Assert.All(parts, p => Assert.StartsWith("v1,", p, StringComparison.Ordinal));
        Assert.NotEqual(parts[0], parts[1]);
    }

    [Fact]
    public void KeyOf_NonWhsecSecret_IsItsUtf8Bytes() => Assert.Equal("pässword"u8.ToArray(), WebhookSigner.KeyOf("pässword"));

    [Fact]
    public async Task Sign_OneSecret_VerifiesWithReferenceNpmLibrary()
    {
        var body = Encoding.UTF8.GetBytes("payload=%7B%22canon_url%22%3A+%22https%3A%2F%2Fposthorn.example%22%7D");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds(); // the library rejects timestamps more than 5 minutes off
        const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        var signature = WebhookSigner.Sign("0190a7c2-1111-7000-8000-000000000001", timestamp, body, [Secret]);

        var (exitCode, error) = await NodeVerifier.VerifyAsync("0190a7c2-1111-7000-8000-000000000001", timestamp, signature, body, Secret);
        Assert.True(exitCode == 0, error);
    }

    [Fact]
    public async Task Sign_TwoRotatedSecrets_VerifiesWithEitherSecret()
    {
        var body = Encoding.UTF8.GetBytes("{\"commits\": [], \"user\": \"jürgen\"}");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string[] secrets = ["whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("old secret bytes 0123456789abcdef")), "whsec_" + Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i * 7)).ToArray())];
        var signature = WebhookSigner.Sign("delivery-2", timestamp, body, secrets);

        foreach (var secret in secrets)
        {
            var (exitCode, error) = await NodeVerifier.VerifyAsync("delivery-2", timestamp, signature, body, secret);
            Assert.True(exitCode == 0, error);
        }

        var (wrongExit, _) = await NodeVerifier.VerifyAsync("delivery-2", timestamp, signature, body, "whsec_" + Convert.ToBase64String(new byte[32]));
        Assert.NotEqual(0, wrongExit);
    }
}
