namespace Posthorn.Delivery.Targets;

/// <summary>
/// The target resolved only to addresses that are not public and private targets are not allowed.
/// Nothing was sent; retrying cannot help until the URL or <c>Delivery:AllowPrivateTargets</c> changes.
/// </summary>
public sealed class TargetRefusedException : Exception
{
    public TargetRefusedException()
    {
    }

    public TargetRefusedException(string message)
        : base(message)
    {
    }

    public TargetRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
