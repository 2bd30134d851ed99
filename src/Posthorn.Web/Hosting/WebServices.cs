using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Web.Api;
using Posthorn.Web.Auth;
using Posthorn.Web.Git;
using Posthorn.Web.Pages;
using Posthorn.Web.Pages.Repositories;
using Posthorn.Web.Pages.Shared;
using Posthorn.Web.PostServices;

namespace Posthorn.Web.Hosting;

/// <summary>Registrations and the request pipeline for everything that answers HTTP: git, the API, the pages.</summary>
public static class WebServices
{
    public const string SelectorScheme = "Posthorn";

    public static IServiceCollection AddPosthornWeb(this IServiceCollection services)
    {
        services.AddSingleton<PostServiceOperations>();
        services.AddSingleton<SignInSessions>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        });
        services.AddProblemDetails();
        services.AddApiErrors();
        services.AddOpenApi();
        services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "Basic for git and the API, a cookie for the pages", o => o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.LoginPath = "/signin";
                o.LogoutPath = "/signout";
                o.AccessDeniedPath = "/signin";
                o.Cookie.Name = "posthorn";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                // Secure whenever the request came over HTTPS, directly or through a trusted proxy (see TrustedProxies).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromDays(14);
                // Signing in on /signin makes the handler itself redirect to ?ReturnUrl=, raw: a non-ASCII one was a 500 (headers are ASCII).
                o.Events.OnRedirectToReturnUrl = context =>
                {
                    context.Response.Redirect(LocalUrl.ForLocation(context.RedirectUri));
                    return Task.CompletedTask;
                };
                o.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<SignInSessions>().ValidateAsync(context);
            });
        services.AddAuthorization();
        services.AddRazorPages(o => o.Conventions.ConfigureFilter(new UnmatchedHandlerFilter()));
        return services;
    }

    public static WebApplication UsePosthornWeb(this WebApplication app)
    {
        // First, so everything after sees the real client and scheme; then headers every response carries.
        app.UseTrustedProxies();
        app.UseSecurityHeaders();
        app.UseApiErrors();
        app.UseStatusCodePages(async context =>
        {
            // Empty error responses under /api get the API's error shape; pages and git keep theirs.
            var http = context.HttpContext;
            if (http.Request.Path.StartsWithSegments("/api") && !http.Response.HasStarted && http.Response.ContentLength is null)
            {
                await http.Response.WriteAsJsonAsync(new ApiError(http.Response.StatusCode == 404 ? "not_found" : "error", $"HTTP {http.Response.StatusCode} for {http.Request.Method} {http.Request.Path}."));
            }
        });
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            if (BasicAuthenticationHandler.IsThrottled(context))
            {
                // Too many failures from this client: 429 rather than 401, so git does not ask for a password that cannot help now.
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = ((int)SignInThrottle.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await context.Response.WriteAsJsonAsync(new ApiError("too_many_requests", "Too many failed sign-ins from this address; try again later."));
                return;
            }

            if (BasicAuthenticationHandler.IsRefused(context) && UsesTokens(context.Request))
            {
                await context.ChallengeAsync(BasicAuthenticationHandler.SchemeName);
                await context.Response.WriteAsJsonAsync(new ApiError("unauthorized", "The credentials sent were refused (a wrong password, or a mistyped, expired or revoked token). Send none to read public repositories anonymously."));
                return;
            }

            await next(context);
        });
        app.UseAuthorization();
        app.UseMercurialHttp();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapPosthornApi();
        app.MapGitSmartHttp();
        app.MapPageAssets();
        app.MapPayloadLinks();
        app.MapRazorPages();
        return app;
    }

    /// <summary>Git, Mercurial and the API: where passwords and tokens are the way in.</summary>
    private static bool UsesTokens(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || GitRoutes.IsGitPath(request.Path) || MercurialRoutes.TryMatch(request, out _, out _);

    private static string SelectScheme(HttpContext context)
    {
        if (!string.IsNullOrEmpty(context.Request.Headers.Authorization) || UsesTokens(context.Request))
        {
            // Git and the API never use the cookie: a forged cross-site request carries cookies, not Authorization headers.
            return BasicAuthenticationHandler.SchemeName;
        }

        return CookieAuthenticationDefaults.AuthenticationScheme;
    }
}
