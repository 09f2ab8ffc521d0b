namespace RetentionKit.Loyalty.Rewards;

/// <summary>The keys of the built-in rewards catalogue (L2), the keys of <see cref="LoyaltyOptions.Rewards"/> and of <c>RedeemAsync</c>.</summary>
public static class RewardKeys
{
    /// <summary>A premium feature: 500 points.</summary>
    public const string PremiumFeature = "premium-feature";

    /// <summary>A training session: 300 points.</summary>
    public const string TrainingSession = "training-session";

    /// <summary>Priority support: 200 points.</summary>
    public const string PrioritySupport = "priority-support";

    /// <summary>Access to betas: 1,000 points.</summary>
    public const string BetaAccess = "beta-access";

    /// <summary>A custom feature: 2,000 points.</summary>
    public const string CustomFeature = "custom-feature";
}
