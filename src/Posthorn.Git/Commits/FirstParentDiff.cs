using System.Text;
using LibGit2Sharp;

namespace Posthorn.Git.Commits;

/// <summary>
/// The files a commit changed against its parent, as <c>git log --name-status --no-renames -r</c>
/// lists them: status and full path, in git's tree order (a directory sorts as its name plus '/'),
/// depth first. Gives null for what it leaves to git: submodules, modes git would normalise, names
/// that are not valid UTF-8 or longer than any file system allows.
/// </summary>
internal static class FirstParentDiff
{
    private const int MaxPathBytes = 4096;

    public static List<(char Status, string Path)>? Between(Repository repository, Tree parent, Tree commit)
    {
        // A commit's tree too is typed by LibGit2Sharp as a tree whatever the object is: look it up.
        if (repository.Lookup(parent.Id) is not Tree before || repository.Lookup(commit.Id) is not Tree after)
        {
            return null;
        }

        var files = new List<(char, string)>();
        return Walk(repository, before, after, "", files) ? files : null;
    }

    private static bool Walk(Repository repository, Tree? before, Tree? after, string prefix, List<(char, string)> files)
    {
        var left = Entries(before);
        var right = Entries(after);
        if (left is null || right is null)
        {
            return false;
        }

        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            var order = i == left.Count ? 1 : j == right.Count ? -1 : Compare(left[i], right[j]);
            if (order < 0)
            {
                if (!Emit(repository, left[i++], 'D', prefix, files))
                {
                    return false;
                }
            }
            else if (order > 0)
            {
                if (!Emit(repository, right[j++], 'A', prefix, files))
                {
                    return false;
                }
            }
            else
            {
                var (old, now) = (left[i++], right[j++]);
                if (old.Entry.Target.Id == now.Entry.Target.Id && old.Entry.Mode == now.Entry.Mode)
                {
                    continue;
                }

                if (old.IsTree)
                {
                    if (SubTree(repository, old) is not { } oldTree || SubTree(repository, now) is not { } newTree
                        || !Walk(repository, oldTree, newTree, Path(prefix, old), files))
                    {
                        return false;
                    }
                }
                else
                {
                    // A mode change within a kind is M; file↔symlink is T. Both read as "modified".
                    var status = old.Entry.Mode == Mode.SymbolicLink == (now.Entry.Mode == Mode.SymbolicLink) ? 'M' : 'T';
                    if (!Add(status, Path(prefix, now), files))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    /// <summary>A whole entry added or removed: a file itself, a directory every file under it.</summary>
    private static bool Emit(Repository repository, Named entry, char status, string prefix, List<(char, string)> files) =>
        !entry.IsTree
            ? Add(status, Path(prefix, entry), files)
            : SubTree(repository, entry) is { } tree
                && (status == 'A' ? Walk(repository, null, tree, Path(prefix, entry), files) : Walk(repository, tree, null, Path(prefix, entry), files));

    /// <summary>
    /// A directory entry's tree, looked up by its own type: LibGit2Sharp types an entry's target by the
    /// entry's mode, and reading a blob as a tree reads garbage where git stops with an error.
    /// </summary>
    private static Tree? SubTree(Repository repository, Named entry) => repository.Lookup(entry.Entry.Target.Id) as Tree;

    private static bool Add(char status, string path, List<(char, string)> files)
    {
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            return false;
        }

        files.Add((status, path));
        return true;
    }

    private static string Path(string prefix, Named entry) => prefix + entry.Entry.Name + (entry.IsTree ? "/" : "");

    private static List<Named>? Entries(Tree? tree)
    {
        var entries = new List<Named>();
        foreach (var entry in tree ?? Enumerable.Empty<TreeEntry>())
        {
            if (entry.Mode is not (Mode.Directory or Mode.NonExecutableFile or Mode.ExecutableFile or Mode.SymbolicLink)
                || entry.Name.Contains('\uFFFD'))
            {
                return null;
            }

            entries.Add(new Named(entry, Encoding.UTF8.GetBytes(entry.Name), entry.Mode == Mode.Directory));
        }

        return entries;
    }

    /// <summary>git's base_name_compare: bytes, then a directory's name continues with '/', a file's ends.</summary>
    private static int Compare(Named a, Named b)
    {
        var common = Math.Min(a.Bytes.Length, b.Bytes.Length);
        var order = a.Bytes.AsSpan(0, common).SequenceCompareTo(b.Bytes.AsSpan(0, common));
        if (order != 0)
        {
            return order;
        }

        var x = a.Bytes.Length > common ? a.Bytes[common] : a.IsTree ? (byte)'/' : (byte)0;
        var y = b.Bytes.Length > common ? b.Bytes[common] : b.IsTree ? (byte)'/' : (byte)0;
        return x.CompareTo(y);
    }

    private sealed record Named(TreeEntry Entry, byte[] Bytes, bool IsTree);
}
