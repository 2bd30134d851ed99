using Posthorn.Web.Pages.Admin;

namespace Posthorn.Tests.Web.Pages;

public sealed class SentDocumentTests
{
    [Fact]
    public void FormBody_DecodedAndIndented()
    {
        var body = "payload=" + Uri.EscapeDataString("{\"user\":\"jürgen a+b\",\"n\":1}").Replace("%20", "+", StringComparison.Ordinal);
        Assert.Equal("{\n  \"user\": \"jürgen a+b\",\n  \"n\": 1\n}", SentDocument.Readable(body)!.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void JsonBody_Indented_NonJsonBody_Null_CutFormBody_DecodedAsIs()
    {
        Assert.Equal("{\n  \"ref\": \"refs/heads/main\"\n}", SentDocument.Readable("{\"ref\":\"refs/heads/main\"}")!.ReplaceLineEndings("\n"));
        Assert.Null(SentDocument.Readable("plain text"));
        Assert.Equal("{\"user\":\"a b", SentDocument.Readable("payload=%7B%22user%22%3A%22a+b"));
    }
}
