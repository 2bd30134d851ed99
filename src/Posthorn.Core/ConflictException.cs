namespace Posthorn.Core;

/// <summary>A unique name (username, repository slug, ...) is already taken.</summary>
public sealed class ConflictException(string message) : Exception(message);
