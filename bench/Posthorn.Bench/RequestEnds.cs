using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Posthorn.Bench;

/// <summary>
/// When the in-process hosts finish answering requests, from ASP.NET Core's own diagnostic events
/// (the request activity's stop, whose payload is the HttpContext): "the server answered" as the
/// server sees it, for clients such as hg whose own exit comes later. Only requests
/// <see cref="Matches"/> accepts are stamped. Dispose to unsubscribe.
/// </summary>
public sealed class RequestEnds : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private const string Stop = "Microsoft.AspNetCore.Hosting.HttpRequestIn.Stop";
    private readonly IDisposable all;
    private readonly List<IDisposable> subscriptions = [];
    private long last;

    public RequestEnds(Func<HttpContext, bool> matches)
    {
        Matches = matches;
        all = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public Func<HttpContext, bool> Matches { get; }

    /// <summary>The <see cref="Stopwatch.GetTimestamp"/> of the last matching request's end, 0 before any.</summary>
    public long Last => Interlocked.Read(ref last);

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == "Microsoft.AspNetCore")
        {
            lock (subscriptions)
            {
                // The activity itself must be enabled for its stop event to be written.
                subscriptions.Add(value.Subscribe(this, name => name.StartsWith("Microsoft.AspNetCore.Hosting.HttpRequestIn", StringComparison.Ordinal)));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == Stop && value.Value is HttpContext context && Matches(context))
        {
            Interlocked.Exchange(ref last, Stopwatch.GetTimestamp());
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        all.Dispose();
        lock (subscriptions)
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }
}
