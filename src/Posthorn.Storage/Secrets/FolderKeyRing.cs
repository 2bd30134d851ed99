using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Posthorn.Storage.Secrets;

/// <summary>
/// The Data Protection key ring as XML files in one folder (mode 0700, files 0600, each written to
/// a temporary name and renamed so a reader never sees half a key). The framework's own
/// FileSystemXmlRepository leaves modes to the umask, hence this one. Thread-safe.
/// </summary>
public sealed class FolderKeyRing(string folder) : IXmlRepository
{
    public string Folder { get; } = folder;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(Folder, "*.xml").Select(file => XElement.Load(file))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        OwnerOnlyFiles.PrepareFolder(Folder);
        var name = IsSafe(friendlyName) ? friendlyName : Guid.NewGuid().ToString("N");
        var temporary = Path.Combine(Folder, Guid.NewGuid().ToString("N") + ".tmp");
        using (var stream = new FileStream(temporary, OwnerOnlyFiles.CreateNew()))
        {
            element.Save(stream);
        }

        try
        {
            File.Move(temporary, Path.Combine(Folder, name + ".xml"));
        }
        catch (IOException)
        {
            // Same friendly name already stored (names are unique per key): keep the first.
            File.Delete(temporary);
        }
    }

    // The framework names keys "key-{guid}"; anything else must not become a path.
    private static bool IsSafe(string name) =>
        name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !name.StartsWith('.');
}
