using System.Globalization;

namespace Posthorn.Bench;

/// <summary>
/// CPU time of this process and of its reaped children (git), from /proc/self/stat: where a
/// scenario's time goes on a machine whose two cores are the limit.
/// </summary>
public readonly record struct ProcessCpu(TimeSpan Self, TimeSpan Children)
{
    // proc(5): utime, stime, cutime, cstime are fields 14–17, in clock ticks (USER_HZ, 100 on Linux).
    private const double TicksPerSecond = 100;

    public static ProcessCpu Read()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return default;
        }

        // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
        var text = File.ReadAllText("/proc/self/stat");
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        double Field(int number) => double.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new ProcessCpu(
            TimeSpan.FromSeconds((Field(14) + Field(15)) / TicksPerSecond),
            TimeSpan.FromSeconds((Field(16) + Field(17)) / TicksPerSecond));
    }

    public static ProcessCpu operator -(ProcessCpu a, ProcessCpu b) => new(a.Self - b.Self, a.Children - b.Children);
}
