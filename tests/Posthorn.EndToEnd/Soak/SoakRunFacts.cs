namespace Posthorn.EndToEnd.Soak;

/// <summary>What the run itself measured, for the head of the books.</summary>
public sealed record SoakRunFacts(
    string Backend, int Seed, int Pushers, int Kills, int KillsInsideReceivePack, int GitPushRuns, TimeSpan PushPhase, TimeSpan Quiet, TimeSpan Total);
