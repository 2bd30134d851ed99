namespace Posthorn.Web.Api;

/// <summary>The one error shape of the API: a stable machine word and a sentence for people.</summary>
public sealed record ApiError(string Error, string Detail, string? Field = null);
