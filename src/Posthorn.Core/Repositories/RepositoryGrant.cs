namespace Posthorn.Core.Repositories;

/// <summary>An explicit permission given to one account on one repository.</summary>
public sealed record RepositoryGrant(long AccountId, string Username, Permission Permission);
