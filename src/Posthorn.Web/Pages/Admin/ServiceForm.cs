using Posthorn.Core.PostServices;

namespace Posthorn.Web.Pages.Admin;

/// <summary>What the add and edit forms post. A blank URL or secret on edit keeps the stored one: pages never show either.</summary>
public sealed class ServiceForm
{
    public string? Url { get; set; }

    public string? Format { get; set; } = "bitbucket-post";

    public bool Active { get; set; } = true;

    public string? Secret { get; set; }

    /// <summary>Edit only: drop every signing secret.</summary>
    public bool RemoveSecrets { get; set; }

    /// <summary>The checked events; none checked means push only.</summary>
    public List<string> Events { get; set; } = [ServiceEvents.Push];

    /// <summary>Branch globs separated by commas or new lines; empty for every branch.</summary>
    public string? Branches { get; set; }

    public bool StandardWebhooks { get; set; }

    public bool FormEncoded { get; set; }

    public IEnumerable<string> BranchList => (Branches ?? "").Split([',', '\n', '\r'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The stored URL is shown only when it carries no credentials; otherwise the field starts empty.</summary>
    public static ServiceForm For(PostService service) => new()
    {
        Url = ServiceUrl.Mask(service.Url) == service.Url ? service.Url : null,
        Format = service.Format.ToName(),
        Active = service.IsActive,
        Events = [.. service.Events],
        Branches = string.Join(", ", service.Branches),
        StandardWebhooks = service.StandardWebhooks,
        FormEncoded = service.FormEncoded,
    };
}
