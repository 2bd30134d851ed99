using Posthorn.Core.Payloads;
using Posthorn.Core.PullRequests;
using Posthorn.Core.Repositories;
using Posthorn.Git.PullRequests;

namespace Posthorn.Web.Api;

public sealed record PullRequestRequest(string? Title, string? Description, string? Source, string? Destination);

/// <summary>A merge: its strategy, and optionally the source commit the merger reviewed (refused with 409 if the source has moved on).</summary>
public sealed record MergeRequest(string? Strategy, [property: System.Text.Json.Serialization.JsonPropertyName("source_commit")] string? SourceCommit);

/// <summary>
/// /api/repos/{owner}/{slug}/pullrequests: reading needs read permission; opening, merging and
/// declining need write. A merge conflict, a fast-forward that is not possible or a pull request that
/// is no longer open answers 409 with the reason (the conflicting paths included).
/// </summary>
public static class PullRequestsApi
{
    public const int MaxPageSize = 100;

    public static void MapPullRequestsApi(this IEndpointRouteBuilder api)
    {
        var pulls = api.MapGroup("/repos/{owner}/{slug}/pullrequests").WithTags("Pull requests");
        pulls.MapGet("/", ListAsync);
        pulls.MapPost("/", CreateAsync);
        pulls.MapGet("/{id:long}", GetAsync);
        pulls.MapPost("/{id:long}/merge", MergeAsync);
        pulls.MapPost("/{id:long}/decline", DeclineAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, string owner, string slug, string? state, int? limit, IPullRequestStore store, CanonUrl canon)
    {
        PullRequestState? filter = null;
        if (state is not null)
        {
            if (!PullRequestNames.TryParseState(state, out var parsed))
            {
                return ApiResults.BadRequest("state must be OPEN, MERGED or DECLINED.", "state");
            }

            filter = parsed;
        }

        if (limit is < 1 or > MaxPageSize)
        {
            return ApiResults.BadRequest($"limit must be between 1 and {MaxPageSize}.", "limit");
        }

        var (admitted, denied) = await RepositoryGate.AdmitAsync(context, owner, slug, Permission.Read);
        if (denied is not null)
        {
            return denied;
        }

        var repository = admitted!.Repository;
        var list = await store.ListPullRequestsAsync(repository.Id, filter, limit ?? 50, context.RequestAborted);
        return TypedResults.Ok(list.Select(p => PullRequestView.Of(p, repository.Owner, repository.Slug, canon.Value)).ToList());
    }

    private static async Task<IResult> CreateAsync(HttpContext context, string owner, string slug, PullRequestRequest request, PullRequestWorkflow workflow, CanonUrl canon)
    {
        var (admitted, denied) = await RepositoryGate.AdmitAsync(context, owner, slug, Permission.Write);
        if (denied is not null)
        {
            return denied;
        }

        var repository = admitted!.Repository;
        var opened = await workflow.OpenAsync(
            repository, admitted.Account!.Username, new PullRequestDraft(request.Title, request.Description, request.Source, request.Destination), context.RequestAborted);
        return TypedResults.Created($"/api/repos/{repository.Owner}/{repository.Slug}/pullrequests/{opened.Id}", PullRequestView.Of(opened, repository.Owner, repository.Slug, canon.Value));
    }

    private static async Task<IResult> GetAsync(HttpContext context, string owner, string slug, long id, IPullRequestStore store, CanonUrl canon)
    {
        var (admitted, denied) = await RepositoryGate.AdmitAsync(context, owner, slug, Permission.Read);
        if (denied is not null)
        {
            return denied;
        }

        var repository = admitted!.Repository;
        var pullRequest = await store.FindPullRequestAsync(repository.Id, id, context.RequestAborted);
        return pullRequest is null
            ? ApiResults.NotFound($"Pull request #{id} not found.")
            : TypedResults.Ok(PullRequestView.Of(pullRequest, repository.Owner, repository.Slug, canon.Value));
    }

    private static async Task<IResult> MergeAsync(HttpContext context, string owner, string slug, long id, PullRequestWorkflow workflow, CanonUrl canon)
    {
        MergeRequest? request;
        try
        {
            request = await OptionalBodyAsync(context);
        }
        catch (System.Text.Json.JsonException e)
        {
            return ApiResults.BadRequest($"The body is not valid JSON: {e.Message.Split(" Path:", 2)[0]}");
        }

        if (!PullRequestNames.TryParseStrategy(request?.Strategy, out var strategy))
        {
            return ApiResults.BadRequest("strategy must be merge_commit, squash or fast_forward.", "strategy");
        }

        var (admitted, denied) = await RepositoryGate.AdmitAsync(context, owner, slug, Permission.Write);
        if (denied is not null)
        {
            return denied;
        }

        var repository = admitted!.Repository;
        try
        {
            var merged = await workflow.MergeAsync(
                repository, id, strategy, new MergeIdentity(admitted.Account!.Username, admitted.Account.Email), request?.SourceCommit, context.RequestAborted);
            return TypedResults.Ok(PullRequestView.Of(merged, repository.Owner, repository.Slug, canon.Value));
        }
        catch (MergeNotRecordedException e)
        {
            return ApiResults.Error(StatusCodes.Status503ServiceUnavailable, "unavailable", e.Message);
        }
    }

    /// <summary>
    /// The merge body is optional ("merge with the default strategy"); the framework's body binding
    /// answered a bodiless POST with an empty 400, so an absent or empty body is read as no request here.
    /// </summary>
    private static async Task<MergeRequest?> OptionalBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any()))
        {
            return null;
        }

        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        return string.IsNullOrWhiteSpace(text)
            ? null
            : System.Text.Json.JsonSerializer.Deserialize<MergeRequest>(text, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
    }

    private static async Task<IResult> DeclineAsync(HttpContext context, string owner, string slug, long id, PullRequestWorkflow workflow, CanonUrl canon)
    {
        var (admitted, denied) = await RepositoryGate.AdmitAsync(context, owner, slug, Permission.Write);
        if (denied is not null)
        {
            return denied;
        }

        var repository = admitted!.Repository;
        var declined = await workflow.DeclineAsync(repository, id, admitted.Account!.Username, context.RequestAborted);
        return TypedResults.Ok(PullRequestView.Of(declined, repository.Owner, repository.Slug, canon.Value));
    }
}
