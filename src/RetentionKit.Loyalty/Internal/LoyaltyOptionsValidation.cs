using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

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
