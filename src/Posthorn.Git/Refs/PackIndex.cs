using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Posthorn.Git.Refs;

/// <summary>
/// Looks an object id up in one pack's index (gitformat-pack(5), index version 2: magic, version,
/// 256 fan-out counts, then the sorted ids), reading only the fan-out entry and a binary search's
/// ids. A pack counts only when git would use it too: both files present, the index's size possible
/// for its object count, and the pack's header and trailing checksum matching the index (what git's
/// open_packed_git checks before it trusts a pack). Anything else answers "not found", which makes
/// the in-process ref reader give way to git.
/// </summary>
internal sealed class PackIndex : IDisposable
{
    private const int FanOutStart = 8;
    private const int IdsStart = FanOutStart + (256 * 4);
    private const int IdBytes = 20;

    private readonly SafeFileHandle index;
    private readonly uint count;

    private PackIndex(SafeFileHandle index, uint count)
    {
        this.index = index;
        this.count = count;
    }

    /// <summary>The index of <paramref name="indexPath"/>'s pack, or null when git would not use that pack.</summary>
    public static PackIndex? Open(string indexPath)
    {
        var packPath = Path.ChangeExtension(indexPath, ".pack");
        if (!File.Exists(packPath))
        {
            return null;
        }

        var index = File.OpenHandle(indexPath);
        try
        {
            Span<byte> header = stackalloc byte[IdsStart];
            var size = RandomAccess.GetLength(index);
            if (RandomAccess.Read(index, header, 0) != IdsStart
                || !header[..4].SequenceEqual((ReadOnlySpan<byte>)[0xff, 0x74, 0x4f, 0x63]) || BinaryPrimitives.ReadUInt32BigEndian(header[4..]) != 2)
            {
                index.Dispose();
                return null;
            }

            var count = BinaryPrimitives.ReadUInt32BigEndian(header[(IdsStart - 4)..]);
            var smallest = IdsStart + (28L * count) + 40;
            if (size < smallest || size > smallest + (8L * count) || !MatchesPack(index, size, packPath, count))
            {
                index.Dispose();
                return null;
            }

            return new PackIndex(index, count);
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    public bool Contains(ReadOnlySpan<byte> id)
    {
        Span<byte> fan = stackalloc byte[8];
        uint low = 0;
        uint high;
        if (id[0] == 0)
        {
            RandomAccess.Read(index, fan[4..], FanOutStart);
        }
        else
        {
            RandomAccess.Read(index, fan, FanOutStart + ((id[0] - 1) * 4));
            low = BinaryPrimitives.ReadUInt32BigEndian(fan);
        }

        high = Math.Min(BinaryPrimitives.ReadUInt32BigEndian(fan[4..]), count);
        Span<byte> probe = stackalloc byte[IdBytes];
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (RandomAccess.Read(index, probe, IdsStart + ((long)middle * IdBytes)) != IdBytes)
            {
                return false;
            }

            var order = probe.SequenceCompareTo(id);
            if (order == 0)
            {
                return true;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return false;
    }

    public void Dispose() => index.Dispose();

    private static bool MatchesPack(SafeFileHandle index, long indexSize, string packPath, uint count)
    {
        using var pack = File.OpenHandle(packPath);
        var packSize = RandomAccess.GetLength(pack);
        Span<byte> header = stackalloc byte[12];
        Span<byte> packSum = stackalloc byte[IdBytes];
        Span<byte> indexedSum = stackalloc byte[IdBytes];
        if (packSize < 12 + IdBytes
            || RandomAccess.Read(pack, header, 0) != 12
            || RandomAccess.Read(pack, packSum, packSize - IdBytes) != IdBytes
            || RandomAccess.Read(index, indexedSum, indexSize - (2 * IdBytes)) != IdBytes)
        {
            return false;
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        return header[..4].SequenceEqual("PACK"u8) && version is 2 or 3
            && BinaryPrimitives.ReadUInt32BigEndian(header[8..]) == count && packSum.SequenceEqual(indexedSum);
    }
}
