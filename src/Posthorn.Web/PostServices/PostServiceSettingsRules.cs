using Posthorn.Core;
using Posthorn.Core.PostServices;

namespace Posthorn.Web.PostServices;

/// <summary>Checks what an administrator typed before it is stored, so mistakes are reported beside the field, not at delivery time.</summary>
public static class PostServiceSettingsRules
{
    public const int MaxSecrets = 5;

    /// <summary>
    /// The settings with events, branch filters and signature options too. Null events mean push
    /// only, null branches every branch; <paramref name="formEncoded"/> applies to format github only
    /// and is dropped for the others.
    /// </summary>
    /// <exception cref="ValidationException">Invalid URL, format, secret, event or branch pattern.</exception>
    public static PostServiceSettings Validate(
        string? url, string? format, bool? active, IReadOnlyList<string>? secrets,
        IEnumerable<string>? events, IEnumerable<string>? branches, bool standardWebhooks, bool formEncoded)
    {
        var settings = Validate(url, format, active, secrets);
        return settings with
        {
            Events = ServiceEvents.Normalize(events),
            Branches = BranchFilter.Normalize(branches),
            StandardWebhooks = standardWebhooks,
            FormEncoded = formEncoded && settings.Format == PayloadFormat.Github,
        };
    }

    /// <exception cref="ValidationException">Invalid URL, format or secret.</exception>
    public static PostServiceSettings Validate(string? url, string? format, bool? active, IReadOnlyList<string>? secrets)
    {
        var problem = ServiceUrl.Validate(url);
        if (problem is not null)
        {
            throw new ValidationException("url", problem);
        }

        if (!PayloadFormats.TryParse(format, out var parsed))
        {
            throw new ValidationException("format", $"Unknown format '{format}': use {PayloadFormats.Choices} (bitbucket-post, form-encoded payload=, is the default).");
        }

        var cleaned = (secrets ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).ToList();
        if (cleaned.Count > MaxSecrets)
        {
            throw new ValidationException("secrets", $"At most {MaxSecrets} secrets at once (several only while rotating).");
        }

        if (cleaned.Any(s => s.Length is < 16 or > 256))
        {
            throw new ValidationException("secrets", "A secret must be 16–256 characters; 'whsec_' + base64 of 24–64 random bytes works with Standard Webhooks libraries.");
        }

        return new PostServiceSettings(url!.Trim(), parsed, active ?? true, cleaned);
    }
}
