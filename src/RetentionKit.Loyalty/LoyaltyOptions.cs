using System.Collections.Generic;
using RetentionKit.Loyalty.Earning;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Loyalty.Rewards;
using RetentionKit.Loyalty.Tiers;

namespace RetentionKit.Loyalty;

/// <summary>What a reversed earn does when the member has already spent some of its points.</summary>
public enum ReversalShortfallPolicy
{
    /// <summary>Claw back what remains of the earn's lot, then from the member's other points (earliest expiry first); write off only what the member does not have. The default.</summary>
    TakeFromOtherPoints = 0,

    /// <summary>Claw back only what remains of the earn's lot and write off the rest.</summary>
    WriteOff = 1,
}

/// <summary>Options of RetentionKit.Loyalty, bound from <c>RetentionKit:Loyalty</c>; validated at start-up.</summary>
public sealed class LoyaltyOptions
{
    /// <summary>Gets or sets after how many days earned points expire; 0 for never. Default 365 (the documents set no term; a year is the usual one).</summary>
    public int PointsExpireAfterDays { get; set; } = 365;

    /// <summary>Gets or sets what a reversed earn does when its points were spent. Default <see cref="ReversalShortfallPolicy.TakeFromOtherPoints"/>.</summary>
    public ReversalShortfallPolicy ReversalShortfall { get; set; } = ReversalShortfallPolicy.TakeFromOtherPoints;

    /// <summary>
    /// Gets the earning rules by event kind (L1): daily-use +10 once per local day, feature-used +5, referral +100,
    /// feedback +25, social-share +15. Change the numbers or caps, or add kinds.
    /// </summary>
    public Dictionary<string, EarningRuleOptions> EarningRules { get; } = EarningRuleOptions.Defaults();

    /// <summary>
    /// Gets the redemption catalogue by reward key (L2): premium-feature 500, training-session 300, priority-support 200,
    /// beta-access 1,000, custom-feature 2,000. Change prices, or add rewards.
    /// </summary>
    public Dictionary<string, RewardOptions> Rewards { get; } = RewardOptions.Defaults();

    /// <summary>
    /// Gets the tiers, lowest first (L3): Bronze from 0, Silver from 1,000, Gold from 5,000, Platinum from 10,000, with
    /// their benefits. Binding configuration appends to this list; clear it in code to replace the tiers.
    /// </summary>
    public List<TierOptions> Tiers { get; } = TierOptions.Defaults();

    /// <summary>Gets or sets which points count towards a tier. Default <see cref="TierBasis.LifetimeEarned"/>.</summary>
    public TierBasis TierBasis { get; set; } = TierBasis.LifetimeEarned;

    /// <summary>Gets or sets the rolling window, in days, when <see cref="TierBasis"/> is <see cref="TierBasis.RollingWindow"/>. Default 365.</summary>
    public int TierWindowDays { get; set; } = 365;

    /// <summary>Gets or sets what happens when the basis falls below the tier. Default <see cref="TierDowngrade.AfterGracePeriod"/>.</summary>
    public TierDowngrade TierDowngrade { get; set; } = TierDowngrade.AfterGracePeriod;

    /// <summary>Gets or sets the grace period, in days, of <see cref="TierDowngrade.AfterGracePeriod"/>. Default 90.</summary>
    public int TierGraceDays { get; set; } = 90;

    /// <summary>Gets or sets the badges by id: the milestone that earns each and its points (issue 24). Default: one badge per onboarding milestone (tutorial, first success, two features, first report), without points.</summary>
    public IDictionary<string, Badges.BadgeOptions> Badges { get; set; } = RetentionKit.Loyalty.Badges.BadgeService.BuiltIn();

    /// <summary>Gets the referral programme's windows, limits and incentives (L5).</summary>
    public ReferralOptions Referrals { get; } = new();
}
