using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc;

namespace Posthorn.Web.Pages.Shared;

/// <summary>
/// A small HTML page for 403 and 404. The status-code middleware in front of the pages only writes
/// bodies for /api, and a cookie Forbid() would bounce to the sign-in page, which hides the reason.
/// </summary>
public static class PageDenied
{
    public static ContentResult Result(int status, string title, string message) => new()
    {
        StatusCode = status,
        ContentType = "text/html; charset=utf-8",
        Content = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · Posthorn</title><link rel="stylesheet" href="/assets/site.css"></head>
            <body><header class="site"><div class="bar"><a class="brand" href="/">Posthorn</a></div></header>
            <main id="main"><h1>{status} {title}</h1><p>{HtmlEncoder.Default.Encode(message)}</p><p><a href="/">Back to repositories</a></p></main></body></html>
            """,
    };
}
