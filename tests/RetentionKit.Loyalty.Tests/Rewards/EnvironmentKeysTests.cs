using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Rewards;

namespace RetentionKit.Loyalty.Tests.Rewards;

/// <summary>
/// Regression (issue 21): keys a container platform writes (environment variables: upper case, no hyphens) re-keyed
/// the reward they meant to change, and redeeming it returned RewardNotFound. Keys now match without regard to case,
/// '-' and '_'.
/// </summary>
public sealed class EnvironmentKeysTests
{
    [Fact]
    public async Task EnvironmentStyleKeys_ChangeTheRewardAndTheRuleTheyName_InsteadOfAddingNewOnes()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RetentionKit:Loyalty:Rewards:PREMIUMFEATURE:Points"] = "650",
            ["RetentionKit:Loyalty:EarningRules:DAILY_USE:Points"] = "12",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 3, 1, 9, 0)));
        services.AddOptions<LoyaltyOptions>().Bind(configuration.GetSection("RetentionKit:Loyalty"));
        services.AddRetentionKit(kit => kit.AddLoyalty());
        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<LoyaltyOptions>>().Value;
        var ana = new CustomerId("ana");
        await provider.GetRequiredService<LoyaltyLedger>().EarnAsync(ana, 700, "seed", "seed");

        var redeemed = await provider.GetRequiredService<RewardCatalog>().RedeemAsync(ana, RewardKeys.PremiumFeature, "r1");

        Assert.Equal(5, options.Rewards.Count);
        Assert.Equal(650, options.Rewards[RewardKeys.PremiumFeature].Points);
        Assert.Equal(12, options.EarningRules[RetentionKit.Loyalty.Earning.LoyaltyEventKinds.DailyUse].Points);
        Assert.Equal(650, provider.GetRequiredService<RewardCatalog>().Rewards["premium-feature"].Points);
        Assert.Equal(50, await provider.GetRequiredService<LoyaltyLedger>().GetBalanceAsync(ana));
        Assert.NotNull(redeemed);
        Assert.Contains(options.Rewards.Keys, k => k == RewardKeys.PremiumFeature); // the key keeps its own spelling
    }
}
