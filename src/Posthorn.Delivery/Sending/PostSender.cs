using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Posthorn.Core.Deliveries;
using Posthorn.Core.Payloads;
using Posthorn.Core.PostServices;
using Posthorn.Delivery.Signing;

namespace Posthorn.Delivery.Sending;

/// <summary>
/// Makes exactly one HTTP request for a claimed delivery and describes it as an <see cref="Attempt"/>.
/// A typed client without any resilience handler: retries belong to the durable schedule, so each
/// request is one recorded attempt. Never throws, for a receiver's behaviour or its own: only shutdown
/// (<paramref name="ct"/> in <see cref="SendAsync"/>) propagates. Thread-safe.
/// </summary>
public sealed partial class PostSender(HttpClient http, IOptions<DeliveryOptions> options, TimeProvider time, ILogger<PostSender> logger)
{
    public static readonly string UserAgent = $"Posthorn/{typeof(PostSender).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0"}";

    private readonly DeliveryOptions settings = options.Value;

    // The stored text of a body, once per body (bodies are shared per payload and format, see
    // PayloadBodies): decoding ~2 KB again for every attempt was pure garbage, and equal strings let
    // the store find a batch's shared bodies cheaply.
    private readonly ConditionalWeakTable<byte[], string> storedBodies = [];

    private readonly SendTargets targets = new();

    /// <summary>Sends <paramref name="claimed"/> as attempt number Delivery.AttemptCount + 1.</summary>
    public async Task<SentAttempt> SendAsync(ClaimedDelivery claimed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        try
        {
            return await SendOnceAsync(claimed, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && ct.IsCancellationRequested))
        {
            // A request Posthorn could not even build is a defect of ours, but it is recorded like
            // any failed attempt: shown on the delivery's page and retried on its schedule, rather
            // than a delivery left pending, taken up again each time its lease ran out, with the
            // reason only in the log.
            return Unbuilt(claimed, ex);
        }
    }

    private SentAttempt Unbuilt(ClaimedDelivery claimed, Exception exception)
    {
        var (delivery, service, _) = claimed;
        var number = delivery.AttemptCount + 1;
        LogUnbuilt(logger, delivery.Id, number, service.Id, exception);
        var error = $"Posthorn could not build this request ({exception.GetType().Name}); the server log has the details.";
        var attempt = new Attempt(delivery.Id, number, settings.NodeId, time.GetUtcNow(), TimeSpan.Zero, ServiceUrl.Mask(service.Url), string.Empty, string.Empty,
            null, null, null, error, AttemptOutcome.RetryableFailure);
        Observability.DeliveryMetrics.AttemptMade(attempt.Outcome, TimeSpan.Zero);
        return new SentAttempt(attempt, null);
    }

    private async Task<SentAttempt> SendOnceAsync(ClaimedDelivery claimed, CancellationToken ct)
    {
        var (delivery, service, payload) = claimed;
        var number = delivery.AttemptCount + 1;
        using var span = Observability.DeliveryMetrics.StartAttempt(delivery, service.Id, number);
        var started = time.GetUtcNow();
        var stopwatch = time.GetTimestamp();
        var body = PayloadBodies.For(service, payload);
        var storedBody = StoredBody(body.Bytes);
        var target = targets.For(service.Url, ExpandTemplate(service.Url, payload));
        var maskedUrl = target.Masked;
        var requestHeaders = string.Empty;
        if (target.Invalid is { } invalid)
        {
            return Record(null, AttemptOutcome.PermanentFailure, $"Invalid service URL: {invalid}", null, null);
        }

        var url = target.Url!;
        using var request = new HttpRequestMessage(HttpMethod.Post, target.OnTheWire) { Content = new ByteArrayContent(body.Bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(body.MediaType) { CharSet = body.CharSet };
        AddHeaders(request, delivery, number, service, body.Bytes, started, url);
        requestHeaders = HeaderLines.Format(request.Headers, request.Content.Headers);

        using var timeout = new CancellationTokenSource(settings.AttemptTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var (responseBody, _) = await BoundedBody.ReadAsync(response.Content, settings.ResponseBodyLimit, linked.Token).ConfigureAwait(false);
            var verdict = ResponseClassifier.Classify((int)response.StatusCode, response.Headers.Location, response.Headers.RetryAfter, time.GetUtcNow(), settings.RetryAfterCap);
            var responseHeaders = HeaderLines.Format(response.Headers, response.Content.Headers);
            return Record(response, verdict.Outcome, verdict.Error, (responseHeaders, responseBody), verdict.RetryAfter);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // shutting down: nothing recorded, the lease expires and the delivery is sent again
        }
        catch (Exception) when (timeout.IsCancellationRequested)
        {
            return Record(null, AttemptOutcome.RetryableFailure, $"Timed out after {settings.AttemptTimeout.TotalSeconds:0.###} s.", null, null);
        }
        catch (Exception ex)
        {
            var refused = FailureText.IsRefusedTarget(ex);
            return Record(null, refused ? AttemptOutcome.PermanentFailure : AttemptOutcome.RetryableFailure, FailureText.Of(ex), null, null);
        }

        SentAttempt Record(HttpResponseMessage? response, AttemptOutcome outcome, string? error, (string Headers, string Body)? answer, TimeSpan? retryAfter)
        {
            var duration = time.GetElapsedTime(stopwatch);
            var attempt = new Attempt(
                delivery.Id, number, settings.NodeId, started, duration, maskedUrl, requestHeaders, storedBody,
                response is null ? null : (int)response.StatusCode, answer?.Headers, answer?.Body, error, outcome);
            LogAttempt(logger, delivery.Id, number, service.Id, maskedUrl, outcome, attempt.ResponseStatus, (long)duration.TotalMilliseconds, error);
            Observability.DeliveryMetrics.AttemptMade(outcome, duration);
            span?.SetTag("posthorn.outcome", Observability.DeliveryMetrics.OutcomeName(outcome)).SetTag("http.response.status_code", attempt.ResponseStatus);
            return new SentAttempt(attempt, retryAfter);
        }
    }

    private static void AddHeaders(HttpRequestMessage request, Core.Deliveries.Delivery delivery, int number, PostService service, byte[] body, DateTimeOffset now, Uri url)
    {
        var headers = request.Headers;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        headers.TryAddWithoutValidation("User-Agent", UserAgent);
        headers.Add("X-Posthorn-Delivery", delivery.Id.ToString());
        headers.Add("X-Posthorn-Attempt", number.ToString(invariant));
        headers.Add("X-Posthorn-Event", delivery.Event);
        headers.Add("X-Event-Key", ServiceEvents.EventKey(delivery.Event));
        NativeHeaders.Add(headers, delivery, number, service, body);
        if (service.SignsStandardWebhooks)
        {
            var id = delivery.Id.ToString();
            var timestamp = now.ToUnixTimeSeconds();
            headers.Add(WebhookSigner.IdHeader, id);
            headers.Add(WebhookSigner.TimestampHeader, timestamp.ToString(invariant));
            headers.Add(WebhookSigner.SignatureHeader, WebhookSigner.Sign(id, timestamp, body, service.Secrets));
        }

        if (ServiceUrl.Credentials(url) is var (user, password))
        {
            headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
    }

    /// <summary>The service URL with ${branch} and friends filled in from this delivery's payload.</summary>
    private static string ExpandTemplate(string url, string payload)
    {
        if (!UrlTemplate.HasPlaceholders(url))
        {
            return url;
        }

        try
        {
            return UrlTemplate.Expand(url, PayloadFacts.Of(payload));
        }
        catch (System.Text.Json.JsonException)
        {
            return UrlTemplate.Expand(url, new Dictionary<string, string>());
        }
    }

    private string StoredBody(byte[] bytes)
    {
        if (!storedBodies.TryGetValue(bytes, out var stored))
        {
            stored = StoredText(bytes, settings.StoredRequestBodyLimit, bytes.Length);
            storedBodies.TryAdd(bytes, stored);
        }

        return stored;
    }

    private static string StoredText(byte[] bytes, int limit, int total) =>
        bytes.Length <= limit
            ? Encoding.UTF8.GetString(bytes)
            : Encoding.UTF8.GetString(bytes, 0, limit) + $"\n… [truncated: {total} bytes sent]";

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryId} attempt {Number} to service {ServiceId}: the request could not be built; recorded as a failed attempt")]
    private static partial void LogUnbuilt(ILogger logger, Guid deliveryId, int number, long serviceId, Exception exception);

    // One line per attempt, at Information: what an operator reads to follow a delivery (the URL is masked).
    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} attempt {Number} to service {ServiceId} {Url}: {Outcome} (status {Status}, {DurationMs} ms) {Error}")]
    private static partial void LogAttempt(ILogger logger, Guid deliveryId, int number, long serviceId, string url, AttemptOutcome outcome, int? status, long durationMs, string? error);
}
