namespace Posthorn.EndToEnd.Hardening;

/// <summary>Resident memory of a process now (VmRSS), from /proc.</summary>
public static class ProcessMemory
{
    public static long ResidentBytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
