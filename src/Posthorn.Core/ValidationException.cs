namespace Posthorn.Core;

/// <summary>Input that breaks a rule; <see cref="Field"/> names the input so forms can show the message beside it.</summary>
public sealed class ValidationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
