namespace Posthorn.Git.SmartHttp;

/// <summary>The two git services smart HTTP may run; anything else (e.g. "getanyfile") is refused.</summary>
public enum GitService
{
    UploadPack,
    ReceivePack,
}

public static class GitServiceNames
{
    public static GitService? Parse(string? service) => service switch
    {
        "git-upload-pack" => GitService.UploadPack,
        "git-receive-pack" => GitService.ReceivePack,
        _ => null,
    };

    /// <summary>"upload-pack": the git subcommand, and the middle of the content types.</summary>
    public static string Command(this GitService service) => service == GitService.UploadPack ? "upload-pack" : "receive-pack";
}
