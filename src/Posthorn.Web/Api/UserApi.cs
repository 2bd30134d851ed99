using Posthorn.Core.Accounts;
using Posthorn.Web.Accounts;
using Posthorn.Web.Auth;

namespace Posthorn.Web.Api;

public sealed record AccountView(string Username, string Email, bool IsSiteAdmin);

public sealed record TokenView(long Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

public sealed record CreatedTokenView(long Id, string Name, string Token);

public sealed record CreateTokenRequest(string? Name);

/// <summary>/api/user: who am I, and my personal access tokens (shown in clear only once, at creation).</summary>
public static class UserApi
{
    public static void MapUserApi(this IEndpointRouteBuilder api)
    {
        var user = api.MapGroup("/user").WithTags("User");
        user.MapGet("/", async (HttpContext context) =>
            await context.GetAccountAsync() is { } a ? TypedResults.Ok(new AccountView(a.Username, a.Email, a.IsSiteAdmin)) : ApiResults.Unauthorized());
        user.MapGet("/tokens", ListTokensAsync);
        user.MapPost("/tokens", CreateTokenAsync);
        user.MapDelete("/tokens/{id:long}", RevokeTokenAsync);
    }

    private static async Task<IResult> ListTokensAsync(HttpContext context, IAccountStore accounts)
    {
        if (await context.GetAccountAsync() is not { } account)
        {
            return ApiResults.Unauthorized();
        }

        var tokens = await accounts.ListTokensAsync(account.Id, context.RequestAborted);
        return TypedResults.Ok(tokens.Select(t => new TokenView(t.Id, t.Name, t.Prefix, t.CreatedAt, t.LastUsedAt)).ToList());
    }

    private static async Task<IResult> CreateTokenAsync(HttpContext context, CreateTokenRequest request, AccountRegistry registry)
    {
        if (await context.GetAccountAsync() is not { } account)
        {
            return ApiResults.Unauthorized();
        }

        var (token, secret) = await registry.CreateTokenAsync(account, request.Name ?? "", context.RequestAborted);
        return TypedResults.Created($"/api/user/tokens/{token.Id}", new CreatedTokenView(token.Id, token.Name, secret));
    }

    private static async Task<IResult> RevokeTokenAsync(HttpContext context, long id, IAccountStore accounts)
    {
        if (await context.GetAccountAsync() is not { } account)
        {
            return ApiResults.Unauthorized();
        }

        return await accounts.RevokeTokenAsync(account.Id, id, context.RequestAborted) ? TypedResults.NoContent() : ApiResults.NotFound($"Token {id} not found.");
    }
}
