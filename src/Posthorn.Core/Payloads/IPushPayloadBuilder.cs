namespace Posthorn.Core.Payloads;

/// <summary>Builds the push payload document (DESIGN.md's table) from the repository itself.</summary>
public interface IPushPayloadBuilder
{
    Task<BuiltPayload> BuildAsync(PayloadRequest request, CancellationToken ct);
}
