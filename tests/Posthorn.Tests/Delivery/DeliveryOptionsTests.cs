using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Posthorn.Delivery;
using Posthorn.Tests.Delivery.Support;

namespace Posthorn.Tests.Delivery;

public sealed class DeliveryOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid() => Assert.Empty(new DeliveryOptions().Validate());

    [Fact]
    public void Validate_LeaseNotLongerThanTimeout_IsReported()
    {
        var errors = new DeliveryOptions { AttemptTimeout = TimeSpan.FromMinutes(3) }.Validate();
        Assert.Contains(errors, e => e.StartsWith("Delivery:Lease", StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_ConfiguredRetrySchedule_ReplacesTheDefaultInsteadOfAppending()
    {
        using var provider = Deliveries.Provider(new Dictionary<string, string?>
        {
            ["Delivery:RetrySchedule:0"] = "00:00:01",
            ["Delivery:RetrySchedule:1"] = "00:00:02",
        });
        var options = provider.GetRequiredService<IOptions<DeliveryOptions>>().Value;
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], options.EffectiveRetrySchedule);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    public void Bind_MaxInFlightPerServiceOutOfRange_FailsValidation(string value)
    {
        using var provider = Deliveries.Provider(new Dictionary<string, string?> { ["Delivery:MaxInFlightPerService"] = value });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DeliveryOptions>>().Value);
        Assert.Contains("Delivery:MaxInFlightPerService", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_InvalidValue_FailsValidationWithItsName()
    {
        using var provider = Deliveries.Provider(new Dictionary<string, string?> { ["Delivery:MaxConcurrency"] = "0" });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DeliveryOptions>>().Value);
        Assert.Contains("Delivery:MaxConcurrency", error.Message, StringComparison.Ordinal);
    }

    // Regression: 16 at once overwhelmed a stock http.server (listen backlog 5; 9-12 of 16 failed).
    [Fact]
    public void Defaults_FourPerService_SixteenPerOwner_AndLeaseCoversAnAttemptWithItsMargin()
    {
        var options = new DeliveryOptions();

        Assert.Equal((4, 16), (options.MaxInFlightPerService, options.MaxInFlightPerOwner));
        Assert.True(options.Lease >= options.AttemptTimeout + options.LeaseMargin);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Validate_LeaseShorterThanTimeoutPlusMargin_IsReported()
    {
        var errors = new DeliveryOptions { AttemptTimeout = TimeSpan.FromSeconds(10), Lease = TimeSpan.FromSeconds(10.5), LeaseMargin = TimeSpan.FromSeconds(1) }.Validate();

        Assert.Contains(errors, e => e.StartsWith("Delivery:Lease must be at least AttemptTimeout + LeaseMargin", StringComparison.Ordinal));
    }

    // Found by review: a lease of exactly AttemptTimeout + LeaseMargin passed, yet every claim found
    // less than that left once it came back, gave its deliveries back, and nothing was ever sent.
    [Fact]
    public void Validate_LeaseWithNoRoomForTheClaimItself_IsReported_AndHalfASecondIsEnough()
    {
        var exact = new DeliveryOptions { AttemptTimeout = TimeSpan.FromSeconds(3), LeaseMargin = TimeSpan.FromSeconds(1), Lease = TimeSpan.FromSeconds(4) };
        Assert.Contains(exact.Validate(), e => e.StartsWith("Delivery:Lease must be at least AttemptTimeout + LeaseMargin + 0.5 s", StringComparison.Ordinal));
        exact.Lease = TimeSpan.FromSeconds(4.5);
        Assert.Empty(exact.Validate());
    }
}
