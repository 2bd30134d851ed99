using Microsoft.Extensions.Options;

namespace Posthorn.Delivery;

/// <summary>Runs <see cref="DeliveryOptions.Validate"/> at start-up (ValidateOnStart) so bad configuration fails fast.</summary>
internal sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
