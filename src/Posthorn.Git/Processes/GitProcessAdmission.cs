namespace Posthorn.Git.Processes;

/// <summary>
/// The gate's answer: a slot, or null when none came free in time. <paramref name="ClientAtShare"/>
/// says a refusal was the client's own doing (it already holds its share), not a busy server.
/// </summary>
public readonly record struct GitProcessAdmission(GitProcessSlot? Slot, bool ClientAtShare);
