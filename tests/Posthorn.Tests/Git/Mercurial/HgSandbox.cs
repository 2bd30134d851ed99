using System.Diagnostics;
using System.Text;

namespace Posthorn.Tests.Git.Mercurial;

/// <summary>
/// A temporary directory with an isolated Mercurial configuration (HGRCPATH names only our file, a
/// fixed identity, no user or machine settings) and a way to run the real hg CLI in it.
/// </summary>
public sealed class HgSandbox : IDisposable
{
    public HgSandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "posthorn-hg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        File.WriteAllText(Path.Combine(Root, "hgrc"), "[ui]\nusername = Test User <test@example.com>\ninteractive = false\n");
    }

    public string Root { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Runs hg in <paramref name="directory"/>; throws with stderr unless it exits 0 (or <paramref name="allowFailure"/>).</summary>
    public async Task<HgRun> HgAsync(string directory, params string[] arguments) => await RunAsync(directory, false, arguments);

    public async Task<HgRun> TryHgAsync(string directory, params string[] arguments) => await RunAsync(directory, true, arguments);

    /// <summary>Writes a file under the working copy (creating folders).</summary>
    public void Write(string directory, string path, string content)
    {
        var full = Path.Combine(directory, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process still finishing in it; the temp folder is cleaned eventually.
        }
    }

    private async Task<HgRun> RunAsync(string directory, bool allowFailure, string[] arguments)
    {
        var info = new ProcessStartInfo("hg")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["HGRCPATH"] = Path.Combine(Root, "hgrc");
        info.Environment["HGPLAIN"] = "1";
        info.Environment["HGENCODING"] = "utf-8";
        info.Environment["HOME"] = Root;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var run = new HgRun(process.ExitCode, await stdout, await stderr);
        if (!allowFailure && run.ExitCode != 0)
        {
            throw new InvalidOperationException($"hg {string.Join(' ', arguments)} exited {run.ExitCode}: {run.Stderr}{run.Stdout}");
        }

        return run;
    }
}
