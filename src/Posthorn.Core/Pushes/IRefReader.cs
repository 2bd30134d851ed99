namespace Posthorn.Core.Pushes;

/// <summary>Reads a repository's refs on disk. Implemented by the SCM layer; the domain only compares them.</summary>
public interface IRefReader
{
    /// <summary>Every ref (full name → object id) of the repository at <paramref name="directory"/>, now.</summary>
    Task<IReadOnlyDictionary<string, string>> ReadAsync(string directory, CancellationToken ct);

    /// <summary>Those of <paramref name="objectIds"/> the repository still holds (garbage collection may have removed others).</summary>
    Task<IReadOnlyCollection<string>> ExistingAsync(string directory, IReadOnlyCollection<string> objectIds, CancellationToken ct);
}
