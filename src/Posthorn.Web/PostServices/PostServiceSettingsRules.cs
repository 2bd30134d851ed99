using Posthorn.Core;
using Posthorn.Core.PostServices;

namespace Posthorn.Web.PostServices;

/// <summary>Checks what an administrator typed before it is stored, so mistakes are reported beside the field, not at delivery time.</summary>
public static class PostServiceSettingsRules
{
    public const int MaxSecrets = 5;

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
            throw new ValidationException("format", $"Unknown format '{format}': use 'bitbucket-post' (form-encoded payload=, the default) or 'json'.");
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
