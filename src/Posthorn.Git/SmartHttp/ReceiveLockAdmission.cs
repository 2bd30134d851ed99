using Microsoft.AspNetCore.Http;
using Posthorn.Git.Refs;

namespace Posthorn.Git.SmartHttp;

/// <summary>Taking a repository's receive lock for a push request, git's or Mercurial's alike.</summary>
internal static class ReceiveLockAdmission
{
    /// <returns>The held lock, or null when the repository stayed busy and the client has been answered 503.</returns>
    public static async Task<IAsyncDisposable?> AcquireOrRefuseAsync(this ReceiveLock receiveLock, HttpContext context, string directory)
    {
        try
        {
            return await receiveLock.AcquireAsync(directory, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or IOException)
        {
            await GitHttpErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The repository is busy with another push; try again.").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Earlier changes could not be recorded, so this push is refused rather than described from the wrong start.</summary>
    public static Task RefuseUnreconciledAsync(HttpContext context) =>
        GitHttpErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Earlier changes to this repository could not be recorded yet; try again later.");
}
