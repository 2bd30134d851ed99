using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Web.Api;
using Posthorn.Web.Auth;
using Posthorn.Web.Git;
using Posthorn.Web.Pages;
using Posthorn.Web.PostServices;

namespace Posthorn.Web.Hosting;

/// <summary>Registrations and the request pipeline for everything that answers HTTP: git, the API, the pages.</summary>
public static class WebServices
{
    public const string SelectorScheme = "Posthorn";

    public static IServiceCollection AddPosthornWeb(this IServiceCollection services)
    {
        services.AddSingleton<PostServiceOperations>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        });
        services.AddProblemDetails();
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
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromDays(14);
            });
        services.AddAuthorization();
        services.AddRazorPages();
        return services;
    }

    public static WebApplication UsePosthornWeb(this WebApplication app)
    {
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
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapPosthornApi();
        app.MapGitSmartHttp();
        app.MapPageAssets();
        app.MapRazorPages();
        return app;
    }

    private static string SelectScheme(HttpContext context)
    {
        if (!string.IsNullOrEmpty(context.Request.Headers.Authorization) || context.Request.Path.StartsWithSegments("/api") || GitRoutes.IsGitPath(context.Request.Path))
        {
            // Git and the API never use the cookie: a forged cross-site request carries cookies, not Authorization headers.
            return BasicAuthenticationHandler.SchemeName;
        }

        return CookieAuthenticationDefaults.AuthenticationScheme;
    }
}
