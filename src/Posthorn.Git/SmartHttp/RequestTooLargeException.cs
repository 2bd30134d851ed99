namespace Posthorn.Git.SmartHttp;

/// <summary>The request body exceeds GitOptions.MaxRequestBodyBytes (answered with 413).</summary>
public sealed class RequestTooLargeException(long limit) : Exception($"The request body exceeds {limit} bytes.")
{
    public long Limit { get; } = limit;
}
