using Posthorn.Core.Payloads;
using Posthorn.Core.PostServices;

namespace Posthorn.Tests.PostServices;

public sealed class UrlTemplateTests
{
    // A payload shaped like PushPayloadWriter's output: a tag push and a branch push in one.
    private const string Payload = """
        {"canon_url":"https://git.example.com","commits":[],"repository":{"absolute_url":"/ann/tool/","owner":"ann","slug":"tool"},
         "user":"ben","ref_changes":[
           {"ref":"refs/tags/v2","name":"v2","type":"tag","old":"0000000000000000000000000000000000000000","new":"1111111111111111111111111111111111111111","action":"created"},
           {"ref":"refs/heads/feature/x&y","name":"feature/x&y","type":"branch","old":"0000000000000000000000000000000000000000","new":"2222222222222222222222222222222222222222","action":"created"}]}
        """;

    [Theory]
    [InlineData("https://ci/job?branch=${branch}", "https://ci/job?branch=feature%2Fx%26y")]
    [InlineData("https://ci/${owner}/${repository}/${commit}", "https://ci/ann/tool/2222222222222222222222222222222222222222")]
    [InlineData("https://ci/t?tag=${tag}&by=${user}", "https://ci/t?tag=v2&by=ben")]
    [InlineData("https://ci/r?ref=${ref}", "https://ci/r?ref=refs%2Fheads%2Ffeature%2Fx%26y")]
    [InlineData("https://ci/plain", "https://ci/plain")]
    public void Expand_FillsPlaceholdersFromThePayload_PercentEncoded(string template, string expected) =>
        Assert.Equal(expected, UrlTemplate.Expand(template, PayloadFacts.Of(Payload)));

    [Fact]
    public void Expand_BranchNameCannotChangeTheUrlsStructure()
    {
        var facts = new Dictionary<string, string> { ["branch"] = "x?admin=1#frag" };

        var url = new Uri(UrlTemplate.Expand("https://ci/build?branch=${branch}", facts));

        Assert.Equal("?branch=x%3Fadmin%3D1%23frag", url.Query);
        Assert.Equal("", url.Fragment);
    }

    [Theory]
    [InlineData("https://ci/job?b=${brnch}", "Unknown placeholder ${brnch}")]
    [InlineData("https://ci/job?b=${branch}", null)]
    public void Validate_ReportsUnknownPlaceholders(string url, string? expectedStart)
    {
        var problem = ServiceUrl.Validate(url);

        if (expectedStart is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.StartsWith(expectedStart, problem, StringComparison.Ordinal);
        }
    }

    // Regression: with http://user:pw@${branch}:18504/ a writer pushed a branch named 127.0.0.2 and
    // the delivery, Basic credentials included, went to that host.
    [Theory]
    [InlineData("http://user:pw@${branch}:18504/")]
    [InlineData("https://${branch}/")]
    [InlineData("https://ci.${owner}.example.com/hook")]
    [InlineData("https://ci.example.com:${branch}/hook")]
    [InlineData("https://${user}:pw@ci.example.com/hook")]
    [InlineData("https://jenkins:${commit}@ci.example.com/hook")]
    [InlineData("http${tag}://ci.example.com/hook")]
    [InlineData("https://ci.example.com${ref}")]
    [InlineData("http:\\\\${branch}\\hook")]
    public void Validate_PlaceholderBeforeThePath_IsRefused(string url) =>
        Assert.Contains("only in the path or query", ServiceUrl.Validate(url), StringComparison.Ordinal);

    [Theory]
    [InlineData("http://user:pw@ci.example.com:18504/${branch}")]
    [InlineData("https://ci.example.com/job/${owner}/${repository}?branch=${branch}&c=${commit}")]
    [InlineData("https://ci.example.com?ref=${ref}")]
    public void Validate_PlaceholderInPathOrQuery_IsAccepted(string url) => Assert.Null(ServiceUrl.Validate(url));

    [Fact]
    public void Facts_OfTagOnlyPush_HaveEmptyBranch()
    {
        const string tagOnly = """{"user":"ben","repository":{"owner":"ann","slug":"tool"},"ref_changes":[{"ref":"refs/tags/v2","name":"v2","type":"tag","old":"0","new":"1","action":"created"}]}""";

        var facts = PayloadFacts.Of(tagOnly);

        Assert.Equal("", facts["branch"]);
        Assert.Equal("v2", facts["tag"]);
        Assert.Equal("refs/tags/v2", facts["ref"]);
    }
}
