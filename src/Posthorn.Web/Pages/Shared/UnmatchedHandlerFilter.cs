using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Posthorn.Web.Pages.Shared;

/// <summary>
/// Razor Pages renders a page even when no handler matches the request (a POST to a page that only
/// has OnGet, or a POST without a handler name to a page with only named ones), skipping the handler
/// that loads the model: the view then dereferenced nulls and answered 500. No matching handler is
/// the client's mistake: 405 for a method the page does not take, 404 for an unknown handler.
/// </summary>
public sealed class UnmatchedHandlerFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.HandlerMethod is null && context.ActionDescriptor.HandlerMethods.Count > 0)
        {
            var method = context.HttpContext.Request.Method;
            var methodKnown = context.ActionDescriptor.HandlerMethods.Any(h => string.Equals(h.HttpMethod, method, StringComparison.OrdinalIgnoreCase)
                || (HttpMethods.IsHead(method) && HttpMethods.IsGet(h.HttpMethod)));
            context.Result = new StatusCodeResult(methodKnown ? StatusCodes.Status404NotFound : StatusCodes.Status405MethodNotAllowed);
            return;
        }

        await next();
    }
}
