using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Web.Api;
using Posthorn.Web.PostServices;

namespace Posthorn.Cli;

/// <summary>posthorn delivery list|show|redeliver: a service's delivery log, one delivery's attempts, and sending one again.</summary>
public static class DeliveryCommand
{
    public static Command Create(CliConsole console) => new("delivery", "Inspect and redeliver a POST service's deliveries") { ListVerb(console), ShowVerb(console), RedeliverVerb(console) };

    private static Guid ParseId(string? text) =>
        Guid.TryParse(text, out var id) ? id : throw new UsageException($"delivery id must look like 0193a0c2-7d3e-7c1a-9b0e-5f7a1c2d3e4f (see `posthorn delivery list`), not '{text}'.");

    private static Command ListVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var service = IdArgument.Create("service", "service");
        var status = new Option<string?>("--status") { Description = "Only pending, succeeded or failed deliveries" };
        status.AcceptOnlyFromAmong("pending", "succeeded", "failed");
        var limit = new Option<int>("--limit") { Description = "How many, newest first (default 50)", DefaultValueFactory = _ => 50 };
        var json = CliOutput.JsonOption();
        var list = new Command("list", "List a service's deliveries, newest first: id, event, status, attempts, next attempt or completion, last result") { fullName, service, status, limit, json };
        list.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var target = await ServiceCommand.FindAsync(services, parse.GetValue(fullName), parse.GetValue(service), ct);
            DeliveryStatus? filter = DeliveryView.TryParseStatus(parse.GetValue(status), out var parsed) ? parsed : null;
            var deliveries = await services.GetRequiredService<IDeliveryStore>().ListDeliveriesAsync(target.Id, filter, Math.Clamp(parse.GetValue(limit), 1, 1000), null, ct);
            if (parse.GetValue(json))
            {
                await CliOutput.WriteJsonAsync(console.Output, deliveries.Select(DeliveryView.Of));
                return ExitCodes.Ok;
            }

            await CliOutput.WriteTableAsync(console.Output, ["ID", "EVENT", "STATUS", "ATTEMPTS", "NEXT/DONE", "RESULT"], deliveries.Select(d => (IReadOnlyList<string>)
            [
                d.Id.ToString(), d.Event, DeliveryView.StatusName(d.Status), d.AttemptCount.ToString(CultureInfo.InvariantCulture),
                CliOutput.Time(d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : d.CompletedAt), Result(d.LastResponseStatus, d.LastError),
            ]));
            return ExitCodes.Ok;
        });
        return list;
    }

    private static Command ShowVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var service = IdArgument.Create("service", "service");
        var delivery = new Argument<string>("delivery");
        var json = CliOutput.JsonOption();
        var show = new Command("show", "Show one delivery with every attempt: request and response headers and bodies (secrets masked)") { fullName, service, delivery, json };
        show.SetAction(async (parse, ct) =>
        {
            var id = ParseId(parse.GetValue(delivery));
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var target = await ServiceCommand.FindAsync(services, parse.GetValue(fullName), parse.GetValue(service), ct);
            var detail = await services.GetRequiredService<IDeliveryStore>().FindDeliveryAsync(target.Id, id, ct)
                ?? throw new NotFoundException($"service {target.Id} has no delivery {id}.");
            if (parse.GetValue(json))
            {
                await CliOutput.WriteJsonAsync(console.Output, new DeliveryDetailView(DeliveryView.Of(detail.Delivery), [.. detail.Attempts.Select(AttemptView.Of)]));
                return ExitCodes.Ok;
            }

            var d = detail.Delivery;
            await console.Output.WriteLineAsync($"delivery {d.Id}: {d.Event}, {DeliveryView.StatusName(d.Status)}, {d.AttemptCount} attempt(s), created {CliOutput.Time(d.CreatedAt)}");
            foreach (var a in detail.Attempts)
            {
                await console.Output.WriteLineAsync();
                await console.Output.WriteLineAsync($"attempt {a.Number} at {CliOutput.Time(a.StartedAt)} on {a.NodeId}: {ServiceView.OutcomeName(a.Outcome)}, {Result(a.ResponseStatus, a.Error)}, {a.Duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms");
                await console.Output.WriteLineAsync($"> POST {ServiceUrl.Mask(a.RequestUrl)}");
                await console.Output.WriteLineAsync(Indent("> ", a.RequestHeaders));
                await console.Output.WriteLineAsync(Indent("> ", a.RequestBody));
                await console.Output.WriteLineAsync(Indent("< ", a.ResponseHeaders ?? ""));
                await console.Output.WriteLineAsync(Indent("< ", a.ResponseBody ?? ""));
            }

            return ExitCodes.Ok;
        });
        return show;
    }

    private static Command RedeliverVerb(CliConsole console)
    {
        var fullName = new Argument<string>("owner/slug");
        var service = IdArgument.Create("service", "service");
        var delivery = new Argument<string>("delivery");
        var redeliver = new Command("redeliver", "Queue a delivery again, due now, with the same id (receivers can de-duplicate)") { fullName, service, delivery };
        redeliver.SetAction(async (parse, ct) =>
        {
            var id = ParseId(parse.GetValue(delivery));
            await using var services = await CliServices.OpenAsync(CliSettings.From(parse), ct);
            var target = await ServiceCommand.FindAsync(services, parse.GetValue(fullName), parse.GetValue(service), ct);
            if (!await services.GetRequiredService<PostServiceOperations>().RedeliverAsync(target, id, ct))
            {
                throw new NotFoundException($"service {target.Id} has no finished delivery {id} to send again (a pending one is already queued).");
            }

            await console.Output.WriteLineAsync($"queued delivery {id} again");
            return ExitCodes.Ok;
        });
        return redeliver;
    }

    private static string Result(int? status, string? error) => (status, error) switch
    {
        (null, null) => "-",
        ({ } code, null) => $"HTTP {code}",
        (null, { } e) => e,
        ({ } code, { } e) => $"HTTP {code}: {e}",
    };

    private static string Indent(string prefix, string text) => string.Join('\n', text.TrimEnd().Split('\n').Select(l => prefix + l.TrimEnd('\r')));
}
