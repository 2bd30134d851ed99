namespace Posthorn.Extensions;

/// <summary>What `posthorn serve` was asked to do, after defaults and environment were applied.</summary>
public sealed record ServeSettings(string DataDirectory, string? Database, string Urls, string PublicUrl, bool AllowPrivateTargets);
