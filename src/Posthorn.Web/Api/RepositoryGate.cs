using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Accounts;
using Posthorn.Core.Repositories;
using Posthorn.Web.Auth;
using Posthorn.Web.Repositories;

namespace Posthorn.Web.Api;

/// <summary>
/// Finds a repository and checks the caller's permission. A repository the caller cannot read
/// answers 404 exactly like one that does not exist, so private names don't leak.
/// </summary>
public static class RepositoryGate
{
    public sealed record Admitted(Repository Repository, Account? Account, Permission Permission);

    public static async Task<(Admitted? Admitted, IResult? Denied)> AdmitAsync(HttpContext context, string owner, string slug, Permission required)
    {
        var account = await context.GetAccountAsync();
        var repository = await context.RequestServices.GetRequiredService<IRepositoryStore>().FindRepositoryAsync(owner, slug, context.RequestAborted);
        var permission = repository is null
            ? Permission.None
            : await context.RequestServices.GetRequiredService<RepositoryCatalog>().PermissionOfAsync(account, repository, context.RequestAborted);
        if (repository is null || permission < Permission.Read)
        {
            return (null, account is null ? ApiResults.Unauthorized() : ApiResults.NotFound($"Repository '{owner}/{slug}' not found."));
        }

        if (permission < required)
        {
            return (null, account is null
                ? ApiResults.Unauthorized()
                : ApiResults.Forbidden($"This needs {required.ToString().ToLowerInvariant()} permission on '{owner}/{slug}'."));
        }

        return (new Admitted(repository, account, permission), null);
    }
}
