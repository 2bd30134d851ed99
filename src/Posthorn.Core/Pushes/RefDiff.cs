namespace Posthorn.Core.Pushes;

/// <summary>The ref updates that turn one state of a repository's refs (name → object id) into another.</summary>
public static class RefDiff
{
    /// <summary>Every ref whose object differs, ordered by name; a missing ref stands for the all-zero id.</summary>
    public static IReadOnlyList<RefUpdate> Between(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var updates = new List<RefUpdate>();
        foreach (var name in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var oldId = before.GetValueOrDefault(name, RefUpdate.ZeroId);
            var newId = after.GetValueOrDefault(name, RefUpdate.ZeroId);
            if (oldId != newId)
            {
                updates.Add(new RefUpdate(name, oldId, newId));
            }
        }

        return updates;
    }
}
