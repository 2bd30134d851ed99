namespace Posthorn.EndToEnd.Soak;

/// <summary>A POST service registered for the soak and the flaky receiver behind it.</summary>
public sealed record SoakService(string Name, string Format, long Id, FlakyReceiver Receiver);
