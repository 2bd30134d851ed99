using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

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

    /// <summary>
    /// Why a ref name (git's, or one Posthorn makes of a Mercurial name) cannot be recorded and
    /// announced exactly as it is, or null when it can: it must be UTF-8 with no ASCII control
    /// character (git-check-ref-format's own rule for those; storage cannot hold NUL). Decoding
    /// anything else takes replacement characters, and two names differing only in such bytes
    /// would become one. posthorn_hg.py's <c>unstorable</c> applies the same rule.
    /// </summary>
    public static string? WhyNotStorable(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (b < 0x20 || b == 0x7f)
            {
                return "contains a control character";
            }
        }

        return Utf8.IsValid(name) ? null : "is not valid UTF-8";
    }

    /// <summary>A name for messages and logs: its UTF-8 as it is, every other byte and every control character as \xNN.</summary>
    public static string Shown(ReadOnlySpan<byte> name)
    {
        var shown = new StringBuilder(name.Length);
        while (!name.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(name, out var rune, out var length) != OperationStatus.Done || rune.Value < 0x20 || rune.Value == 0x7f)
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\x{name[0]:x2}");
                name = name[1..];
                continue;
            }

            shown.Append(rune.ToString());
            name = name[length..];
        }

        return shown.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    private static readonly System.Buffers.SearchValues<byte> LowerHexBytes = System.Buffers.SearchValues.Create("0123456789abcdef"u8);

    /// <summary>40 lowercase hex digits: a SHA-1 object id as git writes it.</summary>
    public static bool IsObjectId(ReadOnlySpan<char> text) => text.Length == 40 && !text.ContainsAnyExcept(LowerHex);

    /// <summary>Only lowercase hex digits (none at all counts), as git writes object ids of any length, in bytes as they come off the wire.</summary>
    public static bool IsLowerHex(ReadOnlySpan<byte> text) => !text.ContainsAnyExcept(LowerHexBytes);
}
