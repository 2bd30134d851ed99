namespace Posthorn.Bench;

/// <summary>
/// One measured figure against the baseline measured in the same run. <see cref="Ratio"/> is
/// figure / baseline; <see cref="Pass"/> says whether the bar in DESIGN.md is met.
/// </summary>
public sealed record Figure(string Name, double Value, string Unit, double Baseline, string Bar, bool Pass, string Note = "")
{
    public double Ratio => Baseline == 0 ? 0 : Value / Baseline;

    public void Print() =>
        Console.WriteLine($"  {Name}: {Value:0.###} {Unit} | baseline {Baseline:0.###} | ratio {Ratio:0.###} | bar {Bar} | {(Pass ? "pass" : "falls short")}{(Note.Length > 0 ? $" ({Note})" : "")}");
}
