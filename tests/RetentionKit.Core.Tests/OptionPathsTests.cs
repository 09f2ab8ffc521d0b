using System.Collections.Generic;
using Microsoft.Extensions.Options;
using RetentionKit.Internal;

namespace RetentionKit.Core.Tests;

/// <summary>Regression (issue 19): validation messages mixed <c>Tiers:4</c>, <c>RiskLevels.Low</c>, <c>Variants['x']</c> and the generator's <c>The field X.Y</c>; one notation now, the key a user would type.</summary>
public class OptionPathsTests
{
    private sealed class SampleOptions
    {
        public List<int> Tiers { get; } = [];

        public int RiskLevels { get; set; }
    }

    [Theory]
    [InlineData("Tiers:4:From (10) must be above the previous tier's (20).", "RetentionKit:Loyalty:Tiers:4:From (10) must be above the previous tier's (20).")]
    [InlineData("RiskLevels.Low.Minimum (0.3) must not exceed RiskLevels.Low.Maximum (0.2).", "RetentionKit:Loyalty:RiskLevels:Low:Minimum (0.3) must not exceed RiskLevels:Low:Maximum (0.2).")]
    [InlineData("Sentiment: The field SampleOptions.CategoryWeights.Sentiment must be between 0 and 1000000.", "RetentionKit:Loyalty:CategoryWeights:Sentiment must be between 0 and 1000000.")]
    [InlineData("From: The field SampleOptions.Tiers[4].From must be between 0 and 9.", "RetentionKit:Loyalty:Tiers:4:From must be between 0 and 9.")]
    [InlineData("Two registered signals have the key 'x'.", "RetentionKit:Loyalty: Two registered signals have the key 'x'.")]
    [InlineData("Values of 0.5 and signal.LatePayment are not paths.", "RetentionKit:Loyalty: Values of 0.5 and signal.LatePayment are not paths.")]
    [InlineData("RetentionKit:Loyalty:Tiers already qualified.", "RetentionKit:Loyalty:Tiers already qualified.")]
    public void Qualify_WritesTheConfigurationKeyFromTheRoot(string failure, string expected) =>
        Assert.Equal(expected, OptionPaths.Qualify<SampleOptions>("Loyalty", failure));

    [Fact]
    public void Qualify_IsIdempotent_AndLeavesSuccessAlone()
    {
        var once = OptionPaths.Qualify<SampleOptions>("Loyalty", "RiskLevels.Low is wrong.");
        Assert.Equal(once, OptionPaths.Qualify<SampleOptions>("Loyalty", once));
        Assert.Same(ValidateOptionsResult.Success, OptionPaths.Qualify<SampleOptions>("Loyalty", ValidateOptionsResult.Success));
        Assert.Equal(["RetentionKit:Loyalty:Tiers is empty."], OptionPaths.Qualify<SampleOptions>("Loyalty", ValidateOptionsResult.Fail("Tiers is empty.")).Failures);
    }

    [Fact]
    public void Nested_PutsAGeneratedFailureUnderItsPath()
    {
        Assert.Equal("Signals:X:Weight must be between 0 and 1.", OptionPaths.Nested("Signals:X", "Weight: The field SignalOptions.Weight must be between 0 and 1."));
        Assert.Equal("Signals:X: something else.", OptionPaths.Nested("Signals:X", "something else."));
        Assert.Equal("RetentionKit:Scoring:RiskLevels:Low", OptionPaths.Of("Scoring", "RiskLevels.Low"));
    }
}
