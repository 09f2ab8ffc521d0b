using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using RetentionKit.Loyalty.Referrals;

namespace RetentionKit.Loyalty;

/// <summary>Every rule of <see cref="LoyaltyOptions"/>, each problem named by its configuration path.</summary>
internal static class LoyaltyOptionsValidation
{
    public static List<string> Problems(LoyaltyOptions options)
    {
        var problems = new List<string>();
        if (options.PointsExpireAfterDays < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"PointsExpireAfterDays is {options.PointsExpireAfterDays}; it must be 0 (never) or a number of days."));
        }

        if (!Enum.IsDefined(options.ReversalShortfall))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"ReversalShortfall is {(int)options.ReversalShortfall}, which is not a policy."));
        }

        problems.AddRange(RuleProblems(options));
        problems.AddRange(RewardProblems(options));
        problems.AddRange(TierProblems(options));
        problems.AddRange(ReferralProblems(options));
        problems.AddRange(Badges.BadgeService.Problems(options.Badges));
        return problems;
    }

    public static List<string> ReferralProblems(LoyaltyOptions options)
    {
        var problems = new List<string>();
        var r = options.Referrals;
        foreach (var (name, days) in new[]
        {
            ("AttributionWindowDays", r.AttributionWindowDays),
            ("QualificationWindowDays", r.QualificationWindowDays),
            ("RefundWindowDays", r.RefundWindowDays),
            ("RewardLimitPeriodDays", r.RewardLimitPeriodDays),
        })
        {
            if (days < 1)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"Referrals:{name} is {days}; it must be at least 1 day."));
            }
        }

        if (r.RewardLimitPerReferrer < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"Referrals:RewardLimitPerReferrer is {r.RewardLimitPerReferrer}; it must be at least 1."));
        }

        if (!RetentionKit.Currency.TryFromIso(r.Currency, out _))
        {
            problems.Add($"Referrals:Currency is '{r.Currency}'; it must be an active ISO 4217 code such as USD.");
        }

        if (r.PointValue < 0m)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"Referrals:PointValue is {r.PointValue}; it must not be negative."));
        }

        var incentives = ReferralIncentiveOptions.InForce(r.Incentives);
        if (incentives.Count == 0)
        {
            problems.Add("Referrals:Incentives: there must be at least one incentive.");
        }

        for (var i = 0; i < incentives.Count; i++)
        {
            var incentive = incentives[i];
            if (incentive is null || string.IsNullOrWhiteSpace(incentive.Name) || !double.IsFinite(incentive.Weight) || incentive.Weight <= 0d)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"Referrals:Incentives:{i}: an incentive has a non-blank Name and a finite Weight above 0."));
                continue;
            }

            if (incentive.ReferrerDiscountPercent is < 0m or > 100m || incentive.ReferredDiscountPercent is < 0m or > 100m)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"Referrals:Incentives:{i}: discounts are percentages from 0 to 100."));
            }

            if (incentive.DiscountMonths < 0 || incentive.ReferrerCredit < 0m)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"Referrals:Incentives:{i}: DiscountMonths and ReferrerCredit must not be negative."));
            }
        }

        if (incentives.Where(i => i is not null).GroupBy(i => i.Name, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            problems.Add("Referrals:Incentives: names must be unique.");
        }

        return problems;
    }

    public static List<string> TierProblems(LoyaltyOptions options)
    {
        var problems = new List<string>();
        var tiers = RetentionKit.Loyalty.Tiers.TierOptions.InForce(options.Tiers);
        if (tiers.Count == 0 || tiers[0] is null || tiers[0].From != 0)
        {
            problems.Add("Tiers: there must be at least one tier, and the first starts at 0.");
        }

        for (var i = 0; i < tiers.Count; i++)
        {
            if (tiers[i] is null || string.IsNullOrWhiteSpace(tiers[i].Name))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"Tiers:{i}: a tier has a non-blank Name."));
            }
            else if (i > 0 && tiers[i - 1] is { } previous && tiers[i].From <= previous.From)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"Tiers:{i}:From ({tiers[i].From}) must be above the previous tier's ({previous.From})."));
            }
        }

        if (tiers.Where(t => t is not null).GroupBy(t => t.Name, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
        {
            problems.Add("Tiers: names must be unique.");
        }

        if (!Enum.IsDefined(options.TierBasis) || !Enum.IsDefined(options.TierDowngrade))
        {
            problems.Add("TierBasis and TierDowngrade must be defined values.");
        }

        if (options.TierWindowDays < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"TierWindowDays is {options.TierWindowDays}; it must be at least 1."));
        }

        if (options.TierGraceDays < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"TierGraceDays is {options.TierGraceDays}; it must not be negative."));
        }

        return problems;
    }

    public static List<string> RewardProblems(LoyaltyOptions options)
    {
        var problems = new List<string>();
        foreach (var (key, reward) in options.Rewards.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (reward is null)
            {
                problems.Add($"Rewards:{key}: the reward must not be null.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(key) || string.IsNullOrWhiteSpace(reward.Name))
            {
                problems.Add($"Rewards:{key}: the key and Name must not be blank.");
            }

            if (reward.Points < 1)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"Rewards:{key}:Points is {reward.Points}; it must be at least 1."));
            }
        }

        return problems;
    }

    public static List<string> RuleProblems(LoyaltyOptions options)
    {
        var problems = new List<string>();
        foreach (var (kind, rule) in options.EarningRules.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(kind) || kind.Length > 50)
            {
                problems.Add($"EarningRules:{kind}: a kind is non-blank with at most 50 characters.");
            }

            if (rule is null)
            {
                problems.Add($"EarningRules:{kind}: the rule must not be null.");
                continue;
            }

            if (rule.Points < 1)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"EarningRules:{kind}:Points is {rule.Points}; it must be at least 1."));
            }

            if (rule.MaxPerDay < 1)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"EarningRules:{kind}:MaxPerDay is {rule.MaxPerDay}; it must be at least 1, or empty for no cap."));
            }
        }

        return problems;
    }
}
