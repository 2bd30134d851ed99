namespace Posthorn.Web.Hosting;

/// <summary>Whether storage answers right now; the host adapts the storage layer to it.</summary>
public interface IStorageProbe
{
    Task<bool> IsReadyAsync(CancellationToken ct);
}
