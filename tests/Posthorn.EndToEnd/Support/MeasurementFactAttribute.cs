namespace Posthorn.EndToEnd.Support;

/// <summary>
/// A measurement, not a behaviour check: it prints figures for the docs and runs only when asked
/// (POSTHORN_MEASURE=1). In the normal suite it shows as skipped; speed bars live in bench/.
/// </summary>
public sealed class MeasurementFactAttribute : FactAttribute
{
    public MeasurementFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("POSTHORN_MEASURE") != "1")
        {
            Skip = "Measurement: run with POSTHORN_MEASURE=1 to print its figures.";
        }
    }
}
