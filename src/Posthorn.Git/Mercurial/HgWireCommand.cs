using Microsoft.AspNetCore.Http;

namespace Posthorn.Git.Mercurial;

/// <summary>
/// Which requests of Mercurial's HTTP wire protocol (hg help internals.wireprotocol) change the
/// repository: "unbundle" (a push: changesets, and with bundle2 its bookmarks and phases too) and
/// "pushkey" (a bookmark or phase alone), also when "pushkey" is batched. Arguments travel in
/// X-HgArg-N headers. Everything else (capabilities, batch of heads/known, getbundle, listkeys) reads.
/// </summary>
public static class HgWireCommand
{
    /// <summary>A request is for hgweb when it names a wire command: the repository page has no "cmd".</summary>
    public static bool IsWireRequest(HttpRequest request) => request.Query.ContainsKey("cmd");

    public static bool Writes(HttpRequest request)
    {
        var command = request.Query["cmd"].ToString();
        if (command is "unbundle" or "pushkey")
        {
            return true;
        }

        return command == "batch" && (request.Query.ContainsKey("cmds") ? request.Query["cmds"].ToString() : ArgumentText(request)).Contains("pushkey", StringComparison.Ordinal);
    }

    private static string ArgumentText(HttpRequest request) =>
        string.Concat(request.Headers.Where(h => h.Key.StartsWith("X-HgArg-", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value.ToString()));
}
