namespace Posthorn.Git.Refs;

/// <summary>
/// A conservative subset of git-check-ref-format(1): every name accepted here is a valid full ref
/// name to git, but not every valid name is accepted (non-ASCII, for one). The in-process ref reader
/// gives up on a name it does not accept, so git itself decides about the rest.
/// </summary>
internal static class RefName
{
    public static bool IsPlainValid(string name)
    {
        if (!name.StartsWith("refs/", StringComparison.Ordinal) || name.EndsWith('/') || name.EndsWith('.')
            || name.Contains("..", StringComparison.Ordinal) || name.Contains("@{", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in name)
        {
            // Control characters, space, DEL, non-ASCII and ~ ^ : ? * [ \ are refused ("@" alone cannot occur: the name starts with refs/).
            if (c <= ' ' || c >= '\x7f' || "~^:?*[\\".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        foreach (var component in name.Split('/'))
        {
            if (component.Length == 0 || component.StartsWith('.') || component.EndsWith(".lock", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>40 lowercase hex digits: a SHA-1 object id as git writes it.</summary>
    public static bool IsObjectId(ReadOnlySpan<char> text)
    {
        if (text.Length != 40)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
