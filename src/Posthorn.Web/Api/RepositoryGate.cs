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
        var access = await context.RequestServices.GetRequiredService<RepositoryCatalog>().AccessAsync(account, owner, slug, context.RequestAborted);
        return access.VerdictFor(required) switch
        {
            AccessVerdict.Admitted => (new Admitted(access.Repository!, account, access.Permission), null),
            AccessVerdict.SignInRequired => (null, ApiResults.Unauthorized()),
            AccessVerdict.NotFound => (null, ApiResults.NotFound($"Repository '{owner}/{slug}' not found.")),
            _ => (null, ApiResults.Forbidden($"This needs {required.ToString().ToLowerInvariant()} permission on '{owner}/{slug}'.")),
        };
    }
}
