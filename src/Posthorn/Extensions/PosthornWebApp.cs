using Posthorn.Delivery;
using Posthorn.Git.Repositories;
using Posthorn.Observability;
using Posthorn.Web.Hosting;

namespace Posthorn.Extensions;

/// <summary>Builds the `serve` process: configuration, services, then the request pipeline.</summary>
public static class PosthornWebApp
{
    public static async Task<WebApplication> BuildAsync(ServeSettings settings, CancellationToken ct)
    {
        // The application is this assembly whoever hosts it: MVC finds the pages (Posthorn.Web) through its
        // application parts, so under a test host (another entry assembly) every page would otherwise be a 404.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(PosthornWebApp).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls(settings.Urls);
        // Per-request framework chatter drowns the delivery log; operators can turn it back on with Logging__LogLevel__Microsoft.AspNetCore=Information.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // "AuthenticationScheme: Basic was challenged" comes with every first git request (git asks, then sends
        // credentials): normal, and one line per clone drowned the log. Setting
        // Logging__LogLevel__Posthorn.Web.Auth.BasicAuthenticationHandler=Information brings it back.
        const string challengeCategory = "Posthorn.Web.Auth.BasicAuthenticationHandler";
        if (builder.Configuration[$"Logging:LogLevel:{challengeCategory}"] is null)
        {
            builder.Logging.AddFilter(challengeCategory, LogLevel.Warning);
        }
        // ISO 8601 UTC timestamps, so lines from several nodes and the receivers' logs line up.
        builder.Logging.AddSimpleConsole(o =>
        {
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            o.UseUtcTimestamp = true;
        });
        builder.Configuration["Delivery:AllowPrivateTargets"] = settings.AllowPrivateTargets ? "true" : builder.Configuration["Delivery:AllowPrivateTargets"];

        builder.Services.AddPosthornDomain(builder.Configuration, settings.DataDirectory, settings.Database, settings.PublicUrl);
        builder.Services.AddPostDelivery(builder.Configuration);
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Reconciliation>());
        builder.Services.AddOptions<ServerOptions>().Bind(builder.Configuration.GetSection("Server"))
            .Validate(o => TrustedProxies.AreValid(o.KnownProxies), "Server:KnownProxies must list IP addresses, e.g. Server__KnownProxies__0=10.0.0.5.")
            .ValidateOnStart();
        builder.Services.AddPosthornWeb();
        builder.Services.AddPosthornTelemetry(builder.Configuration);

        var app = builder.Build();
        // Options are checked here, before the host starts and logs a stack trace for a bad value;
        // the command line turns the exception into one line (Cli/ProblemLine.cs).
        app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        await app.Services.MigrateStorageAsync(ct);
        app.UsePosthornTelemetry();
        app.UsePosthornWeb();
        app.MapPosthornMetrics();
        return app;
    }
}
