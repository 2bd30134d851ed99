namespace Posthorn.Git.SmartHttp;

/// <summary>The request body is not a well-formed pkt-line stream (answered with 400).</summary>
public sealed class MalformedRequestException(string message) : Exception(message);
