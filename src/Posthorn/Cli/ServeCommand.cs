using System.CommandLine;
using Posthorn.Extensions;

namespace Posthorn.Cli;

/// <summary>posthorn serve: the web server, git over HTTP, the API and the delivery dispatcher in one process.</summary>
public static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static Command Create(CliConsole console)
    {
        var urls = new Option<string>("--urls") { Description = $"Where to listen (semicolon-separated). Default: {DefaultUrls}", DefaultValueFactory = _ => DefaultUrls };
        var publicUrl = new Option<string?>("--public-url")
        {
            Description = $"Base URL shown in clone URLs and payloads (also {PublishedUrl.Variable}). Default: the first --urls address",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(PublishedUrl.Variable) is { Length: > 0 } v ? v : null,
        };
        var allowPrivate = new Option<bool>("--allow-private-targets")
        {
            Description = "Let POST services reach loopback, private and link-local addresses (also POSTHORN_ALLOW_PRIVATE_TARGETS=1)",
        };
        var serve = new Command("serve", "Run the Posthorn server") { urls, publicUrl, allowPrivate };
        serve.SetAction(async (parse, ct) =>
        {
            var settings = CliSettings.From(parse);
            var listen = parse.GetValue(urls)!;
            var published = PublicUrlOf(parse.GetValue(publicUrl), listen);
            if (parse.GetValue(publicUrl) is null && ListenAddresses.IsWildcard(ListenAddresses.Split(listen).FirstOrDefault() ?? ""))
            {
                await console.Error.WriteLineAsync(
                    $"posthorn: warning: --urls listens on every address, so clone URLs and canon_url use {published}; set --public-url to the address people and receivers use.");
            }

            ListenAddresses.EnsureFree(listen);
            var options = new ServeSettings(
                settings.DataDirectory,
                settings.Database,
                listen,
                published,
                parse.GetValue(allowPrivate) || Environment.GetEnvironmentVariable("POSTHORN_ALLOW_PRIVATE_TARGETS") is "1" or "true");
            var app = await PosthornWebApp.BuildAsync(options, ct);
            PublishedUrl.Record(settings.DataDirectory, published);
            await app.RunAsync(ct);
            return ExitCodes.Ok;
        });
        return serve;
    }

    private static string PublicUrlOf(string? configured, string urls)
    {
        if (configured is not null && ListenAddresses.IsWildcard(configured))
        {
            throw new UsageException($"--public-url {configured} is not an address anyone can reach; give the host name people use, e.g. https://git.example.com.");
        }

        // 0.0.0.0 is never published: a clone URL or canon_url pointing at it works nowhere.
        var first = ListenAddresses.Split(urls).FirstOrDefault() ?? DefaultUrls;
        var candidate = configured ?? ListenAddresses.WithHost(first, System.Net.Dns.GetHostName().ToLowerInvariant());
        if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"'{candidate}' is not an absolute http(s) URL.");
        }

        return candidate.TrimEnd('/');
    }
}
