using System;
using System.Linq;
using RetentionKit.Loyalty.Earning;
using RetentionKit.Loyalty.Rewards;
using RetentionKit.TestUtilities;

namespace RetentionKit.Loyalty.Tests.Rewards;

/// <summary>Regression (issue 19): the built-in keys are public constants, each naming a built-in.</summary>
public class RewardKeysTests
{
    [Fact]
    public void RewardKeys_AreExactlyTheBuiltInCatalogue() =>
        Assert.Equal(new LoyaltyOptions().Rewards.Keys.Order(StringComparer.Ordinal), PublicConstants.Values(typeof(RewardKeys)));

    [Fact]
    public void LoyaltyEventKinds_AreExactlyTheBuiltInEarningRules() =>
        Assert.Equal(new LoyaltyOptions().EarningRules.Keys.Order(StringComparer.Ordinal), PublicConstants.Values(typeof(LoyaltyEventKinds)));
}
