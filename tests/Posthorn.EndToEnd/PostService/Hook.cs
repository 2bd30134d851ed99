using System.Diagnostics;
using System.Text.Json;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.PostService;

/// <summary>A POST service registered through the real API, and what the API says about its deliveries.</summary>
public sealed record Hook(Site Site, string Slug, long Id)
{
    public string Path => $"/api/repos/alice/{Slug}/services/{Id}";

    public static async Task<Hook> AddAsync(Site site, string slug, string url, string? format = null)
    {
        object body = format is null ? new { url } : new { url, format };
        var created = await site.ApiJsonAsync(HttpMethod.Post, $"/api/repos/alice/{slug}/services", body: body);
        return new Hook(site, slug, created.GetProperty("id").GetInt64());
    }

    /// <summary>Adds the service with the command line, which only warns about a URL this server will refuse (the API refuses it).</summary>
    public static async Task<Hook> AddThroughCliAsync(Site site, string slug, string url)
    {
        var added = await site.Server.CliAsync(null, "service", "add", $"alice/{slug}", url);
        added.EnsureSuccess("service add");
        return new Hook(site, slug, long.Parse(added.Stdout.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    public Task<JsonElement> ViewAsync() => Site.ApiJsonAsync(HttpMethod.Get, Path);

    public async Task<IReadOnlyList<JsonElement>> DeliveriesAsync(string? status = null)
    {
        var page = await Site.ApiJsonAsync(HttpMethod.Get, Path + "/deliveries?limit=100" + (status is null ? "" : "&status=" + status));
        return [.. page.GetProperty("deliveries").EnumerateArray()];
    }

    public async Task<JsonElement> DeliveryAsync(string deliveryId) => await Site.ApiJsonAsync(HttpMethod.Get, $"{Path}/deliveries/{deliveryId}");

    /// <summary>Polls (bounded) until <paramref name="done"/> holds for the delivery's detail; returns the last detail.</summary>
    public async Task<JsonElement> WaitForDeliveryAsync(string deliveryId, Func<JsonElement, bool> done, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var detail = await DeliveryAsync(deliveryId);
            if (done(detail))
            {
                return detail;
            }

            if (clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"delivery {deliveryId} never reached the expected state: {detail}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Polls (bounded) until the service view satisfies <paramref name="done"/>.</summary>
    public async Task<JsonElement> WaitForServiceAsync(Func<JsonElement, bool> done, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var view = await ViewAsync();
            if (done(view))
            {
                return view;
            }

            if (clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"service {Id} never reached the expected state: {view}");
            }

            await Task.Delay(50);
        }
    }

    public static string Status(JsonElement detail) => detail.GetProperty("delivery").GetProperty("status").GetString()!;

    public static string State(JsonElement service) => service.GetProperty("health").GetProperty("state").GetString()!;
}
