using Posthorn.Delivery.Targets;

namespace Posthorn.Delivery.Sending;

/// <summary>
/// Turns a transport failure into the one-line error stored with an attempt: the distinct messages
/// of the exception chain, innermost detail last, never a stack trace.
/// </summary>
public static class FailureText
{
    public static string Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (Find<TargetRefusedException>(exception) is { } refused)
        {
            return refused.Message;
        }

        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (!string.IsNullOrWhiteSpace(e.Message) && !messages.Contains(e.Message))
            {
                messages.Add(e.Message.Trim());
            }
        }

        return string.Join(" → ", messages);
    }

    /// <summary>True when the target guard refused the address: retrying cannot help.</summary>
    public static bool IsRefusedTarget(Exception exception) => Find<TargetRefusedException>(exception) is not null;

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }
}
