using System.Collections.Generic;

namespace RetentionKit.Loyalty.Referrals;

/// <summary>The referral programme's windows, limits and incentives (L5); part of <see cref="LoyaltyOptions"/>.</summary>
public sealed class ReferralOptions
{
    /// <summary>Gets or sets how many days after first seeing a code a new customer may still be attributed to it. Default 30.</summary>
    public int AttributionWindowDays { get; set; } = 30;

    /// <summary>Gets or sets how many days after attribution the referred customer's first payment still qualifies the referral. Default 90.</summary>
    public int QualificationWindowDays { get; set; } = 90;

    /// <summary>Gets or sets how many days after qualification a refund of the referred customer reverses the rewards (RI-6). Default 30.</summary>
    public int RefundWindowDays { get; set; } = 30;

    /// <summary>Gets or sets how many referrals a referrer is rewarded for per <see cref="RewardLimitPeriodDays"/> (RI-7); further ones still reward the referred side. Default 12.</summary>
    public int RewardLimitPerReferrer { get; set; } = 12;

    /// <summary>Gets or sets the rolling period, in days, of <see cref="RewardLimitPerReferrer"/>. Default 365.</summary>
    public int RewardLimitPeriodDays { get; set; } = 365;

    /// <summary>
    /// Gets or sets the ISO 4217 code of the programme's currency: credits, point values, the monthly amounts a
    /// <see cref="ReferralPayment"/> reports and every reward cost are in it.
    /// </summary>
    /// <value>An active ISO 4217 code. The default value is <c>USD</c>.</value>
    public string Currency { get; set; } = "USD";

    /// <summary>Gets or sets what a loyalty point costs the company, in <see cref="Currency"/>, for the programme's reward cost. Default 0 (points left out of the cost).</summary>
    public decimal PointValue { get; set; }

    /// <summary>
    /// Gets the incentives. One (the default, the L5 numbers) gives every referral the same; two or more make an A/B
    /// test: each referrer is assigned one by a stable hash, weighted. Binding configuration appends; clear it in code to replace it.
    /// </summary>
    public List<ReferralIncentiveOptions> Incentives { get; } = [new ReferralIncentiveOptions { IsBuiltIn = true }];
}

/// <summary>One incentive of the referral programme: what both sides get when a referral qualifies.</summary>
public sealed class ReferralIncentiveOptions
{
    /// <summary>
    /// The incentives in force: the ones configured (in configuration or code) replacing the built-in one; the built-in
    /// one when none was. Configuration binding appends to a list, so a configured list would otherwise follow it.
    /// </summary>
    internal static List<ReferralIncentiveOptions> InForce(List<ReferralIncentiveOptions> incentives) =>
        incentives.Exists(i => i is not null && !i.IsBuiltIn) ? incentives.FindAll(i => i is null || !i.IsBuiltIn) : incentives;

    /// <summary>Gets whether this is the built-in incentive (which a list of your own replaces).</summary>
    internal bool IsBuiltIn { get; init; }

    /// <summary>Gets or sets the incentive's name, unique; it names the variant in analytics. Default "standard".</summary>
    public string Name { get; set; } = "standard";

    /// <summary>Gets or sets its share of referrers relative to the other incentives; above 0. Default 1.</summary>
    public double Weight { get; set; } = 1d;

    /// <summary>Gets or sets the referrer's discount, in percent (0–100). Default 30.</summary>
    public decimal ReferrerDiscountPercent { get; set; } = 30m;

    /// <summary>Gets or sets the referred customer's discount, in percent (0–100). Default 20.</summary>
    public decimal ReferredDiscountPercent { get; set; } = 20m;

    /// <summary>Gets or sets for how many months both discounts run; 0 for none. Default 3.</summary>
    public int DiscountMonths { get; set; } = 3;

    /// <summary>Gets or sets the referrer's account credit per successful referral, in the programme's <see cref="ReferralOptions.Currency"/>. Default 100.</summary>
    public decimal ReferrerCredit { get; set; } = 100m;

    /// <summary>Gets or sets whether the referrer is granted access to the premium feature. Default true.</summary>
    public bool PremiumFeatureAccess { get; set; } = true;
}
