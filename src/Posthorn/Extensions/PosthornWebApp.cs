using Posthorn.Delivery;
using Posthorn.Git.Repositories;
using Posthorn.Web.Hosting;

namespace Posthorn.Extensions;

/// <summary>Builds the `serve` process: configuration, services, then the request pipeline.</summary>
public static class PosthornWebApp
{
    public static async Task<WebApplication> BuildAsync(ServeSettings settings, CancellationToken ct)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(settings.Urls);
        // Per-request framework chatter drowns the delivery log; operators can turn it back on with Logging__LogLevel__Microsoft.AspNetCore=Information.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Configuration["Delivery:AllowPrivateTargets"] = settings.AllowPrivateTargets ? "true" : builder.Configuration["Delivery:AllowPrivateTargets"];

        builder.Services.AddPosthornDomain(builder.Configuration, settings.DataDirectory, settings.Database, settings.PublicUrl);
        builder.Services.AddPostDelivery(builder.Configuration);
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Reconciliation>());
        builder.Services.AddOptions<ServerOptions>().Bind(builder.Configuration.GetSection("Server"))
            .Validate(o => TrustedProxies.AreValid(o.KnownProxies), "Server:KnownProxies must list IP addresses, e.g. Server__KnownProxies__0=10.0.0.5.")
            .ValidateOnStart();
        builder.Services.AddPosthornWeb();

        var app = builder.Build();
        // Options are checked here, before the host starts and logs a stack trace for a bad value;
        // the command line turns the exception into one line (Cli/ProblemLine.cs).
        app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        await app.Services.MigrateStorageAsync(ct);
        app.UsePosthornWeb();
        return app;
    }
}
