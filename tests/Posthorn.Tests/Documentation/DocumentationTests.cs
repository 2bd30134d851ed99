using System.Text.RegularExpressions;

namespace Posthorn.Tests.Documentation;

/// <summary>
/// The README and docs/ are what a user has: a merge that left its conflict markers in them (one
/// did, in the README's command table, for weeks) or a link to a file that moved is caught here.
/// </summary>
public sealed partial class DocumentationTests
{
    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string>();
        foreach (var path in DocumentPaths())
        {
            data.Add(Path.GetRelativePath(SourceTree.Root, path));
        }

        return data;
    }

    [Fact]
    public void TheReadmeAndTheDocsAreFound()
    {
        Assert.Contains("README.md", DocumentPaths().Select(Path.GetFileName));
        Assert.Contains("ARCHITECTURE.md", DocumentPaths().Select(Path.GetFileName));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void HasNoMergeConflictMarkers(string document)
    {
        var lines = File.ReadAllLines(Path.Combine(SourceTree.Root, document));
        var markers = lines.Select((line, i) => (Line: i + 1, Text: line)).Where(l => ConflictMarker().IsMatch(l.Text)).ToList();
        Assert.True(markers.Count == 0, $"{document} has merge-conflict markers at lines {string.Join(", ", markers.Select(m => m.Line))}");
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void LinksToFilesInTheTree_PointAtFilesThatExist(string document)
    {
        var full = Path.Combine(SourceTree.Root, document);
        var folder = Path.GetDirectoryName(full)!;
        var broken = RelativeLink().Matches(File.ReadAllText(full))
            .Select(m => m.Groups["target"].Value.Split('#')[0])
            .Where(target => target.Length > 0 && !File.Exists(Path.Combine(folder, target)) && !Directory.Exists(Path.Combine(folder, target)))
            .ToList();
        Assert.True(broken.Count == 0, $"{document} links to {string.Join(", ", broken)}, which is not in the tree");
    }

    private static IEnumerable<string> DocumentPaths() =>
        [Path.Combine(SourceTree.Root, "README.md"), .. Directory.EnumerateFiles(Path.Combine(SourceTree.Root, "docs"), "*.md").Order(StringComparer.Ordinal)];

    /// <summary>git's three marker lines: seven of one character, alone or followed by a space and a label.</summary>
    [GeneratedRegex(@"^(<{7}|={7}|>{7}|\|{7})( .*)?$")]
    private static partial Regex ConflictMarker();

    /// <summary>A Markdown link whose target has no scheme and is not only an anchor: a file in the tree.</summary>
    [GeneratedRegex(@"\]\((?<target>(?![a-z][a-z0-9+.-]*:)(?!#)[^)\s]+)\)", RegexOptions.IgnoreCase)]
    private static partial Regex RelativeLink();
}
