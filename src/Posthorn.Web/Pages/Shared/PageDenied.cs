using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Posthorn.Web.Pages.Shared;

/// <summary>
/// The 403 and 404 pages, in the site's layout and navigation (Denied.cshtml). The status-code
/// middleware in front of the pages only writes bodies for /api, and a cookie Forbid() would bounce
/// to the sign-in page, which hides the reason.
/// </summary>
public static class PageDenied
{
    public const string ViewPath = "/Pages/Shared/Denied.cshtml";

    public static ViewResult Result(int status, string title, string message) => new()
    {
        ViewName = ViewPath,
        StatusCode = status,
        ViewData = new ViewDataDictionary(new EmptyModelMetadataProvider(), new ModelStateDictionary())
        {
            ["Title"] = title,
            ["Status"] = status,
            ["Message"] = message,
        },
    };
}
