namespace Posthorn.Core.PostServices;

/// <summary>The wire names of <see cref="PayloadFormat"/>: "bitbucket-post" and "json".</summary>
public static class PayloadFormats
{
    public static string ToName(this PayloadFormat format) => format switch
    {
        PayloadFormat.Json => "json",
        _ => "bitbucket-post",
    };

    public static bool TryParse(string? name, out PayloadFormat format)
    {
        switch (name)
        {
            case null or "" or "bitbucket-post":
                format = PayloadFormat.BitbucketPost;
                return true;
            case "json":
                format = PayloadFormat.Json;
                return true;
            default:
                format = default;
                return false;
        }
    }
}
