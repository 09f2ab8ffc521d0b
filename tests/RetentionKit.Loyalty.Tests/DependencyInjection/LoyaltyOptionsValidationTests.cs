using System;
using System.Collections.Generic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RetentionKit.Loyalty.Earning;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Loyalty.Rewards;
using RetentionKit.Loyalty.Tiers;

namespace RetentionKit.Loyalty.Tests.DependencyInjection;

/// <summary>Every options rule, one at a time, through start-up validation: the exact problems, and the limits accepted.</summary>
public class LoyaltyOptionsValidationTests
{
    private static readonly string DailyUse = LoyaltyEventKinds.DailyUse;

    public static TheoryData<string, Action<LoyaltyOptions>, string[]> Broken => new()
    {
        { "expiry", o => o.PointsExpireAfterDays = -1, ["RetentionKit:Loyalty:PointsExpireAfterDays is -1; it must be 0 (never) or a number of days."] },
        { "kind too long", o => o.EarningRules[new string('k', 51)] = new() { Points = 1 }, [$"RetentionKit:Loyalty:EarningRules:{new string('k', 51)}: a kind is non-blank with at most 50 characters."] },
        { "kind blank", o => o.EarningRules[" "] = new() { Points = 1 }, ["RetentionKit:Loyalty:EarningRules: : a kind is non-blank with at most 50 characters."] },
        { "rule null", o => o.EarningRules["x"] = null!, ["RetentionKit:Loyalty:EarningRules:x: the rule must not be null."] },
        { "rule points", o => o.EarningRules[DailyUse].Points = 0, [$"RetentionKit:Loyalty:EarningRules:{DailyUse}:Points is 0; it must be at least 1."] },
        { "rule cap", o => o.EarningRules[DailyUse].MaxPerDay = 0, [$"RetentionKit:Loyalty:EarningRules:{DailyUse}:MaxPerDay is 0; it must be at least 1, or empty for no cap."] },
        {
            "rules in key order", o =>
            {
                o.EarningRules["b"] = new() { Points = 0 };
                o.EarningRules["a"] = new() { Points = 0 };
            },
            ["RetentionKit:Loyalty:EarningRules:a:Points is 0; it must be at least 1.", "RetentionKit:Loyalty:EarningRules:b:Points is 0; it must be at least 1."]
        },
        { "reward null", o => o.Rewards["swag"] = null!, ["RetentionKit:Loyalty:Rewards:swag: the reward must not be null."] },
        { "reward name", o => o.Rewards["swag"] = new RewardOptions { Name = " ", Points = 1 }, ["RetentionKit:Loyalty:Rewards:swag: the key and Name must not be blank."] },
        { "reward key", o => o.Rewards[" "] = new RewardOptions { Name = "Swag", Points = 1 }, ["RetentionKit:Loyalty:Rewards: : the key and Name must not be blank."] },
        { "reward points", o => o.Rewards["beta-access"].Points = 0, ["RetentionKit:Loyalty:Rewards:beta-access:Points is 0; it must be at least 1."] },
        {
            "rewards in key order", o =>
            {
                o.Rewards["z"] = new RewardOptions { Name = "Z", Points = 0 };
                o.Rewards["a"] = new RewardOptions { Name = "A", Points = 0 };
            },
            ["RetentionKit:Loyalty:Rewards:a:Points is 0; it must be at least 1.", "RetentionKit:Loyalty:Rewards:z:Points is 0; it must be at least 1."]
        },
        { "no tiers", o => o.Tiers.Clear(), ["RetentionKit:Loyalty:Tiers: there must be at least one tier, and the first starts at 0."] },
        { "first tier null", o => o.Tiers[0] = null!, ["RetentionKit:Loyalty:Tiers: there must be at least one tier, and the first starts at 0.", "RetentionKit:Loyalty:Tiers:0: a tier has a non-blank Name."] },
        { "first tier from", o => o.Tiers[0].From = 1, ["RetentionKit:Loyalty:Tiers: there must be at least one tier, and the first starts at 0."] },
        { "tier name", o => o.Tiers[2].Name = " ", ["RetentionKit:Loyalty:Tiers:2: a tier has a non-blank Name."] },
        { "tier null", o => o.Tiers[2] = null!, ["RetentionKit:Loyalty:Tiers:2: a tier has a non-blank Name."] },
        { "tier order", o => o.Tiers[2].From = o.Tiers[1].From, ["RetentionKit:Loyalty:Tiers:2:From (1000) must be above the previous tier's (1000)."] },
        { "tier names", o => o.Tiers[3].Name = "GOLD", ["RetentionKit:Loyalty:Tiers: names must be unique."] },
        { "tier basis", o => o.TierBasis = (TierBasis)7, ["RetentionKit:Loyalty:TierBasis and TierDowngrade must be defined values."] },
        { "tier downgrade", o => o.TierDowngrade = (TierDowngrade)7, ["RetentionKit:Loyalty:TierBasis and TierDowngrade must be defined values."] },
        { "tier window", o => o.TierWindowDays = 0, ["RetentionKit:Loyalty:TierWindowDays is 0; it must be at least 1."] },
        { "tier grace", o => o.TierGraceDays = -1, ["RetentionKit:Loyalty:TierGraceDays is -1; it must not be negative."] },
        { "referral currency", o => o.Referrals.Currency = "XYZ", ["RetentionKit:Loyalty:Referrals:Currency is 'XYZ'; it must be an active ISO 4217 code such as USD."] },
        { "attribution window", o => o.Referrals.AttributionWindowDays = 0, ["RetentionKit:Loyalty:Referrals:AttributionWindowDays is 0; it must be at least 1 day."] },
        { "qualification window", o => o.Referrals.QualificationWindowDays = 0, ["RetentionKit:Loyalty:Referrals:QualificationWindowDays is 0; it must be at least 1 day."] },
        { "refund window", o => o.Referrals.RefundWindowDays = 0, ["RetentionKit:Loyalty:Referrals:RefundWindowDays is 0; it must be at least 1 day."] },
        { "limit period", o => o.Referrals.RewardLimitPeriodDays = 0, ["RetentionKit:Loyalty:Referrals:RewardLimitPeriodDays is 0; it must be at least 1 day."] },
        { "limit", o => o.Referrals.RewardLimitPerReferrer = 0, ["RetentionKit:Loyalty:Referrals:RewardLimitPerReferrer is 0; it must be at least 1."] },
        { "point value", o => o.Referrals.PointValue = -0.01m, ["RetentionKit:Loyalty:Referrals:PointValue is -0.01; it must not be negative."] },
        { "no incentives", o => o.Referrals.Incentives.Clear(), ["RetentionKit:Loyalty:Referrals:Incentives: there must be at least one incentive."] },
        { "incentive null", o => o.Referrals.Incentives[0] = null!, ["RetentionKit:Loyalty:Referrals:Incentives:0: an incentive has a non-blank Name and a finite Weight above 0."] },
        { "incentive name", o => o.Referrals.Incentives[0].Name = " ", ["RetentionKit:Loyalty:Referrals:Incentives:0: an incentive has a non-blank Name and a finite Weight above 0."] },
        { "incentive weight NaN", o => o.Referrals.Incentives[0].Weight = double.NaN, ["RetentionKit:Loyalty:Referrals:Incentives:0: an incentive has a non-blank Name and a finite Weight above 0."] },
        { "incentive weight 0", o => o.Referrals.Incentives[0].Weight = 0d, ["RetentionKit:Loyalty:Referrals:Incentives:0: an incentive has a non-blank Name and a finite Weight above 0."] },
        {
            "incentive skipped after its first problem", o =>
            {
                o.Referrals.Incentives[0].Weight = 0d;
                o.Referrals.Incentives[0].ReferrerDiscountPercent = 101m;
                o.Referrals.Incentives[0].DiscountMonths = -1;
            },
            ["RetentionKit:Loyalty:Referrals:Incentives:0: an incentive has a non-blank Name and a finite Weight above 0."]
        },
        { "referrer discount low", o => o.Referrals.Incentives[0].ReferrerDiscountPercent = -1m, ["RetentionKit:Loyalty:Referrals:Incentives:0: discounts are percentages from 0 to 100."] },
        { "referrer discount high", o => o.Referrals.Incentives[0].ReferrerDiscountPercent = 100.5m, ["RetentionKit:Loyalty:Referrals:Incentives:0: discounts are percentages from 0 to 100."] },
        { "referred discount low", o => o.Referrals.Incentives[0].ReferredDiscountPercent = -1m, ["RetentionKit:Loyalty:Referrals:Incentives:0: discounts are percentages from 0 to 100."] },
        { "referred discount high", o => o.Referrals.Incentives[0].ReferredDiscountPercent = 100.5m, ["RetentionKit:Loyalty:Referrals:Incentives:0: discounts are percentages from 0 to 100."] },
        { "discount months", o => o.Referrals.Incentives[0].DiscountMonths = -1, ["RetentionKit:Loyalty:Referrals:Incentives:0: DiscountMonths and ReferrerCredit must not be negative."] },
        { "referrer credit", o => o.Referrals.Incentives[0].ReferrerCredit = -1m, ["RetentionKit:Loyalty:Referrals:Incentives:0: DiscountMonths and ReferrerCredit must not be negative."] },
        { "incentive names", o => { o.Referrals.Incentives.Add(new ReferralIncentiveOptions()); o.Referrals.Incentives.Add(new ReferralIncentiveOptions()); }, ["RetentionKit:Loyalty:Referrals:Incentives: names must be unique."] },
    };

    public static TheoryData<string, Action<LoyaltyOptions>> AtTheLimit => new()
    {
        { "expiry never", o => o.PointsExpireAfterDays = 0 },
        { "kind of 50", o => o.EarningRules[new string('k', 50)] = new() { Points = 1, MaxPerDay = 1 } },
        { "reward of 1 point", o => o.Rewards["beta-access"].Points = 1 },
        { "uncapped rule", o => o.EarningRules[DailyUse].MaxPerDay = null },
        { "tier window 1", o => o.TierWindowDays = 1 },
        { "no grace", o => o.TierGraceDays = 0 },
        { "one tier", o => o.Tiers.RemoveRange(1, 3) },
        { "windows of 1 day", o => (o.Referrals.AttributionWindowDays, o.Referrals.QualificationWindowDays, o.Referrals.RefundWindowDays, o.Referrals.RewardLimitPeriodDays) = (1, 1, 1, 1) },
        { "limit 1", o => o.Referrals.RewardLimitPerReferrer = 1 },
        { "free points", o => o.Referrals.PointValue = 0m },
        { "discounts 0", o => (o.Referrals.Incentives[0].ReferrerDiscountPercent, o.Referrals.Incentives[0].ReferredDiscountPercent) = (0m, 0m) },
        { "discounts 100", o => (o.Referrals.Incentives[0].ReferrerDiscountPercent, o.Referrals.Incentives[0].ReferredDiscountPercent) = (100m, 100m) },
        { "no months, no credit", o => (o.Referrals.Incentives[0].DiscountMonths, o.Referrals.Incentives[0].ReferrerCredit) = (0, 0m) },
        { "tiny weight", o => o.Referrals.Incentives[0].Weight = double.Epsilon },
    };

    [Fact]
    public void Defaults_AreValid() => Assert.Null(Failures(_ => { }));

    [Theory]
    [MemberData(nameof(Broken))]
    public void EachRule_GivesItsProblem(string rule, Action<LoyaltyOptions> breakIt, string[] expected)
    {
        Assert.NotNull(rule);
        Assert.Equal(expected, Failures(breakIt));
    }

    [Theory]
    [MemberData(nameof(AtTheLimit))]
    public void EachLimit_IsAccepted(string limit, Action<LoyaltyOptions> setIt)
    {
        Assert.NotNull(limit);
        Assert.Null(Failures(setIt));
    }

    [Fact]
    public void Problems_OfEverySection_AreListedTogether()
    {
        var failures = Failures(o =>
        {
            o.EarningRules[DailyUse].Points = 0;
            o.Rewards["beta-access"].Points = 0;
            o.TierGraceDays = -1;
            o.Referrals.RewardLimitPerReferrer = 0;
        });

        Assert.Equal(
            [
                $"RetentionKit:Loyalty:EarningRules:{DailyUse}:Points is 0; it must be at least 1.",
                "RetentionKit:Loyalty:Rewards:beta-access:Points is 0; it must be at least 1.",
                "RetentionKit:Loyalty:TierGraceDays is -1; it must not be negative.",
                "RetentionKit:Loyalty:Referrals:RewardLimitPerReferrer is 0; it must be at least 1.",
            ],
            failures);
    }

    [Fact]
    public void EachService_ChecksItsOwnSection()
    {
        var ledger = new Ledger.LedgerFixture().Ledger;
        var options = new LoyaltyOptions();
        options.Referrals.RefundWindowDays = 0;
        var referrals = Assert.Throws<ArgumentException>("options", () => new Referrals.ReferralFixture(o => o.Referrals.RefundWindowDays = 0));
        Assert.Contains("RetentionKit:Loyalty:Referrals:RefundWindowDays is 0; it must be at least 1 day.", referrals.Message, StringComparison.Ordinal);

        options = new LoyaltyOptions();
        options.EarningRules[DailyUse].Points = 0;
        var earning = Assert.Throws<ArgumentException>("options", () => new EarningService(ledger, options, []));
        Assert.Contains($"RetentionKit:Loyalty:EarningRules:{DailyUse}:Points is 0; it must be at least 1.", earning.Message, StringComparison.Ordinal);
    }

    /// <summary>The problems start-up validation lists; null when it passes.</summary>
    private static IEnumerable<string>? Failures(Action<LoyaltyOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddLoyalty(configure));
        using var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (OptionsValidationException error)
        {
            return error.Failures;
        }
    }
}
