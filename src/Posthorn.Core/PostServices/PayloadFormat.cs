namespace Posthorn.Core.PostServices;

/// <summary>Which document a service receives and how it travels (the whole request follows from it).</summary>
public enum PayloadFormat
{
    /// <summary>application/x-www-form-urlencoded with one field, payload=&lt;json&gt;, as the original service sent.</summary>
    BitbucketPost = 0,

    /// <summary>The same document as an application/json body.</summary>
    Json = 1,

    /// <summary>Bitbucket Cloud 2.0 webhooks: <c>repo:push</c> with <c>push.changes[]</c>, <c>pullrequest:*</c>; X-Hub-Signature.</summary>
    BitbucketCloud = 2,

    /// <summary>GitHub webhooks: one <c>push</c> per changed ref, <c>pull_request</c>, <c>ping</c>; X-Hub-Signature-256.</summary>
    Github = 3,
}
