namespace Posthorn.Git.Refs;

/// <summary>
/// Whether a repository holds an object, answered only where the answer is certain: a loose object
/// file, or an entry in one of the repository's own packs. for-each-ref leaves out refs whose object
/// is missing, so the in-process reader must know; a "not found" here (alternates, a pack git would
/// reject, an object git fakes such as the empty tree, a real hole) sends the read to git instead.
/// Opens the pack indexes on first need; dispose after one read. Not thread-safe.
/// </summary>
internal sealed class ObjectPresence(string gitDirectory) : IDisposable
{
    private readonly string objects = Path.Combine(gitDirectory, "objects");
    private List<PackIndex>? packs;

    public bool Has(string id)
    {
        if (File.Exists(Path.Combine(objects, id[..2], id[2..])))
        {
            return true;
        }

        packs ??= OpenPacks();
        var bytes = Convert.FromHexString(id);
        return packs.Any(p => p.Contains(bytes));
    }

    public void Dispose()
    {
        foreach (var pack in packs ?? [])
        {
            pack.Dispose();
        }
    }

    private List<PackIndex> OpenPacks()
    {
        var directory = Path.Combine(objects, "pack");
        var opened = new List<PackIndex>();
        if (Directory.Exists(directory))
        {
            foreach (var path in Directory.EnumerateFiles(directory, "*.idx"))
            {
                if (PackIndex.Open(path) is { } index)
                {
                    opened.Add(index);
                }
            }
        }

        return opened;
    }
}
