using System.Globalization;
using System.Net.Http.Headers;
using Posthorn.Core.Payloads;
using Posthorn.Core.PostServices;
using Posthorn.Delivery.Signing;

namespace Posthorn.Delivery.Sending;

/// <summary>
/// The headers a format's receivers look for, beside Posthorn's own: Bitbucket Cloud's
/// (X-Hook-UUID, X-Request-UUID, X-Attempt-Number, X-Hub-Signature: sha256=) and GitHub's
/// (X-GitHub-Event, X-GitHub-Delivery, X-GitHub-Hook-ID, X-Hub-Signature-256 and X-Hub-Signature: sha1=).
/// Ids are the delivery's and the service's own, so they are stable across retries and redeliveries.
/// </summary>
public static class NativeHeaders
{
    public static void Add(HttpRequestHeaders headers, Core.Deliveries.Delivery delivery, int number, PostService service, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(service);
        var secret = service.Secrets.Count > 0 ? service.Secrets[0] : null;
        switch (service.Format)
        {
            case PayloadFormat.BitbucketCloud:
                headers.Add("X-Hook-UUID", RepositoryLinks.StableUuid("service", service.Id.ToString(CultureInfo.InvariantCulture)).ToString("D"));
                headers.Add("X-Request-UUID", delivery.Id.ToString("D"));
                headers.Add("X-Attempt-Number", number.ToString(CultureInfo.InvariantCulture));
                if (secret is not null)
                {
                    headers.Add(HubSignature.LegacyHeader, HubSignature.Sha256(secret, body));
                }

                break;
            case PayloadFormat.Github:
                headers.Add("X-GitHub-Event", GithubEvent(delivery.Event));
                headers.Add("X-GitHub-Delivery", delivery.Id.ToString("D"));
                headers.Add("X-GitHub-Hook-ID", service.Id.ToString(CultureInfo.InvariantCulture));
                headers.Add("X-GitHub-Hook-Installation-Target-Type", "repository");
                headers.Add("X-GitHub-Hook-Installation-Target-ID", service.RepositoryId.ToString(CultureInfo.InvariantCulture));
                if (secret is not null)
                {
                    headers.Add(HubSignature.Sha256Header, HubSignature.Sha256(secret, body));
                    headers.Add(HubSignature.LegacyHeader, HubSignature.Sha1(secret, body));
                }

                break;
        }
    }

    /// <summary>"push", "ping", or "pull_request" for every pull-request event.</summary>
    public static string GithubEvent(string deliveryEvent) =>
        deliveryEvent.StartsWith("pullrequest:", StringComparison.Ordinal) ? "pull_request" : deliveryEvent;
}
