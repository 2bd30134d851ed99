namespace Posthorn.Core.Deliveries;

/// <summary>What an attempt's outcome means for its post service.</summary>
public enum HealthAction
{
    /// <summary>Keep sending.</summary>
    None = 0,

    /// <summary>Stop sending until a time, then try again (deliveries stay queued).</summary>
    Pause = 1,

    /// <summary>Stop sending until an administrator or a successful test re-enables it.</summary>
    Disable = 2,
}
