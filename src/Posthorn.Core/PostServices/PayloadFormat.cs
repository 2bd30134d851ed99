namespace Posthorn.Core.PostServices;

/// <summary>How the payload document travels in the POST body.</summary>
public enum PayloadFormat
{
    /// <summary>application/x-www-form-urlencoded with one field, payload=&lt;json&gt;, as the original service sent.</summary>
    BitbucketPost = 0,

    /// <summary>The same document as an application/json body.</summary>
    Json = 1,
}
