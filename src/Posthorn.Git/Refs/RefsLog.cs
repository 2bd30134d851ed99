using Microsoft.Extensions.Logging;

namespace Posthorn.Git.Refs;

/// <summary>Log lines the ref readers of git and Mercurial share, so both say the same of a ref they leave out.</summary>
internal static partial class RefsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The ref {RefName} in {Directory} is left out of its refs (never announced): its name {Reason}")]
    public static partial void Unstorable(ILogger logger, string refName, string reason, string directory);
}
