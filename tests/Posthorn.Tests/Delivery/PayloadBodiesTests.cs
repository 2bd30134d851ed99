using Posthorn.Core.PostServices;
using Posthorn.Delivery.Sending;

namespace Posthorn.Tests.Delivery;

public sealed class PayloadBodiesTests
{
    [Theory]
    [InlineData(PayloadFormat.BitbucketPost)]
    [InlineData(PayloadFormat.Json)]
    public void For_SamePayloadAndFormat_BuildsOnceAndSendsTheExactBytesOfPayloadBody(PayloadFormat format)
    {
        var payload = """{"user": "alice", "message": "ünïcode & spaces"}""";

        var first = PayloadBodies.For(format, payload);
        var again = PayloadBodies.For(format, payload);

        Assert.Same(first, again);
        var built = PayloadBody.For(format, payload);
        Assert.Equal(built.Bytes, first.Bytes);
        Assert.Equal((built.MediaType, built.CharSet), (first.MediaType, first.CharSet));
    }

    [Fact]
    public void For_SamePayloadInOtherFormats_KeepsOneBodyPerFormat()
    {
        var payload = """{"user": "bob"}""";

        var form = PayloadBodies.For(PayloadFormat.BitbucketPost, payload);
        var json = PayloadBodies.For(PayloadFormat.Json, payload);

        Assert.NotEqual(form.MediaType, json.MediaType);
        Assert.Same(form, PayloadBodies.For(PayloadFormat.BitbucketPost, payload));
    }
}
