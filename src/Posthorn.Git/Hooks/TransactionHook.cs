using System.Collections.Concurrent;

namespace Posthorn.Git.Hooks;

/// <summary>
/// The reference-transaction hook (githooks(5)) Posthorn installs in every repository. git runs it
/// with "prepared" after locking the refs it is about to move and before moving them; a non-zero
/// exit aborts the whole transaction. During a push Posthorn serves, the hook hands the moves to the
/// server that started receive-pack (<see cref="HookListener"/>), which journals them durably before
/// answering "ok". If that server is gone (killed mid-push, leaving receive-pack an orphan), nobody
/// answers and no ref moves. Outside such a push (no POSTHORN_HOOK_PORT: an operator working on the
/// disk, Posthorn's own repairs) the hook allows the move and reconciliation announces it later.
/// Thread-safe.
/// </summary>
public sealed class TransactionHook
{
    public const string PortVariable = "POSTHORN_HOOK_PORT";
    public const string TicketVariable = "POSTHORN_HOOK_TICKET";

    // git runs the hook twice per push ("prepared", then "committed" or "aborted"): sh (dash) answers
    // the second without starting bash. Only "prepared" execs bash, for /dev/tcp (Debian's bash has
    // network redirections); read -t bounds a server that stalls. git's lines are copied with bash's
    // own read for a small push (no cat process); past 64 lines cat takes the rest (bash reads a pipe
    // a byte at a time, so nothing is read twice or lost). bash runs in the C locale: in a UTF-8 one
    // its read takes a byte that does not begin valid UTF-8 as the start of a character, swallows
    // the newline after it and drops a last line whose ref name is not UTF-8; the server must see
    // such a name to refuse it.
    internal const string Script = """
        #!/bin/sh
        # Installed by Posthorn (rewritten whenever it differs): during a push Posthorn serves, ref
        # moves must be journaled by the server before git makes them. Do not edit.
        [ "$1" = prepared ] || exit 0
        [ -n "${POSTHORN_HOOK_PORT:-}" ] || exit 0
        LC_ALL=C
        export LC_ALL
        exec /bin/bash -c '
        if ! exec 3<>"/dev/tcp/127.0.0.1/$POSTHORN_HOOK_PORT"; then
            echo "posthorn: the server that received this push is gone; no ref was changed" >&2
            exit 1
        fi
        {
            printf "%s\n" "$POSTHORN_HOOK_TICKET"
            lines=0
            while IFS= read -r line; do
                printf "%s\n" "$line"
                lines=$((lines + 1))
                [ "$lines" -lt 64 ] || { cat; break; }
            done
            printf ".\n"
        } >&3
        answer=
        IFS= read -r -t 120 answer <&3
        [ "$answer" = ok ] && exit 0
        echo "posthorn: ${answer:-the server did not confirm the push}; no ref was changed" >&2
        exit 1
        '

        """;

    private readonly ConcurrentDictionary<string, bool> installed = new(StringComparer.Ordinal);

    /// <summary>
    /// Writes the hook into the repository unless it is there, unchanged. The content is compared once
    /// per process; after that only its presence is checked (a stat), so a deleted hook comes back.
    /// </summary>
    public void Install(string gitDirectory)
    {
        var hooks = Path.Combine(gitDirectory, "hooks");
        var path = Path.Combine(hooks, "reference-transaction");
        if (installed.ContainsKey(gitDirectory) && File.Exists(path))
        {
            return;
        }

        if (!File.Exists(path) || File.ReadAllText(path) != Script)
        {
            Directory.CreateDirectory(hooks);
            // Write beside it and rename, so git never runs a half-written hook.
            var temporary = path + ".posthorn-" + Guid.NewGuid().ToString("N");
            File.WriteAllText(temporary, Script);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            File.Move(temporary, path, overwrite: true);
        }

        installed[gitDirectory] = true;
    }
}
