namespace Posthorn.Web.Api;

/// <summary>Error responses, built in one place so every endpoint answers the same way.</summary>
public static class ApiResults
{
    public static IResult Error(int status, string error, string detail, string? field = null) =>
        TypedResults.Json(new ApiError(error, detail, field), statusCode: status);

    public static IResult NotFound(string detail) => Error(StatusCodes.Status404NotFound, "not_found", detail);

    public static IResult BadRequest(string detail, string? field = null) => Error(StatusCodes.Status400BadRequest, "invalid_request", detail, field);

    public static IResult Forbidden(string detail) => Error(StatusCodes.Status403Forbidden, "forbidden", detail);

    public static IResult Unauthorized() => Error(StatusCodes.Status401Unauthorized, "unauthorized", "Sign in with HTTP Basic (username and password or token) or a Bearer token.");
}
