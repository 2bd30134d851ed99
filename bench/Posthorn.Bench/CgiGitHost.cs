using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Posthorn.Bench;

/// <summary>
/// The baseline git server: a minimal CGI host on Kestrel that runs stock <c>git http-backend</c>
/// once per request with the RFC 3875 variables (and GIT_PROJECT_ROOT, GIT_HTTP_EXPORT_ALL,
/// GIT_PROTOCOL, REMOTE_USER so pushes are allowed), streaming the body in and the answer out.
/// </summary>
public sealed class CgiGitHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private CgiGitHost(WebApplication app, string url)
    {
        this.app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<CgiGitHost> StartAsync(string projectRoot)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        app.Run(context => ServeAsync(context, projectRoot));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return new CgiGitHost(app, url);
    }

    private static async Task ServeAsync(HttpContext context, string projectRoot)
    {
        var request = context.Request;
        var info = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("http-backend");
        var env = info.Environment;
        env["GIT_PROJECT_ROOT"] = projectRoot;
        env["GIT_HTTP_EXPORT_ALL"] = "1";
        env["GATEWAY_INTERFACE"] = "CGI/1.1";
        env["SERVER_PROTOCOL"] = request.Protocol;
        env["REQUEST_METHOD"] = request.Method;
        env["PATH_INFO"] = request.Path.Value ?? "/";
        env["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        env["REMOTE_ADDR"] = "127.0.0.1";
        env["REMOTE_USER"] = "bench";
        if (request.ContentType is { } type)
        {
            env["CONTENT_TYPE"] = type;
        }

        if (request.ContentLength is { } length)
        {
            env["CONTENT_LENGTH"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding)
        {
            env["HTTP_CONTENT_ENCODING"] = encoding;
        }

        if (request.Headers["Git-Protocol"].ToString() is { Length: > 0 } protocol)
        {
            env["GIT_PROTOCOL"] = protocol;
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdin = Task.Run(async () =>
        {
            try
            {
                await request.Body.CopyToAsync(process.StandardInput.BaseStream);
            }
            finally
            {
                process.StandardInput.Close();
            }
        });

        var stdout = process.StandardOutput.BaseStream;
        var buffer = new byte[64 * 1024];
        var filled = 0;
        var headerEnd = -1;
        while (headerEnd < 0)
        {
            var read = await stdout.ReadAsync(buffer.AsMemory(filled));
            if (read == 0)
            {
                break;
            }

            filled += read;
            headerEnd = HeaderEnd(buffer.AsSpan(0, filled), out var separator);
            if (headerEnd >= 0)
            {
                var text = System.Text.Encoding.ASCII.GetString(buffer, 0, headerEnd);
                foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var (name, value) = (line[..line.IndexOf(':', StringComparison.Ordinal)], line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
                    if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
                    {
                        context.Response.StatusCode = int.Parse(value[..3], System.Globalization.CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        context.Response.Headers[name] = value;
                    }
                }

                var bodyStart = headerEnd + separator;
                await context.Response.Body.WriteAsync(buffer.AsMemory(bodyStart, filled - bodyStart));
            }
        }

        await stdout.CopyToAsync(context.Response.Body);
        await stdin;
        await stderr;
        await process.WaitForExitAsync();
    }

    private static int HeaderEnd(ReadOnlySpan<byte> data, out int separatorLength)
    {
        var crlf = data.IndexOf("\r\n\r\n"u8);
        var lf = data.IndexOf("\n\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf < lf))
        {
            separatorLength = 4;
            return crlf;
        }

        separatorLength = 2;
        return lf;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
