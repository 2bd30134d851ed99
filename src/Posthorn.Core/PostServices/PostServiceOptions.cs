namespace Posthorn.Core.PostServices;

/// <summary>
/// Configuration section "PostServices": limits on what administrators register. Every property
/// documents its default; <see cref="Validate"/> range-checks them at start-up.
/// </summary>
public sealed class PostServiceOptions
{
    public const string SectionName = "PostServices";

    /// <summary>
    /// Most POST services one repository may have. Each push is one delivery per service, so this bounds
    /// what one push (and one administrator) can put on the queue and on the dispatcher's slots.
    /// Default 20; 1..1000.
    /// </summary>
    public int MaxPerRepository { get; set; } = 20;

    /// <summary>Every broken rule, as "PostServices:Name ..." messages; empty when valid.</summary>
    public IReadOnlyList<string> Validate() =>
        MaxPerRepository is >= 1 and <= 1000 ? [] : [$"{SectionName}:MaxPerRepository must be between 1 and 1000."];
}
