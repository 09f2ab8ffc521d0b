using System;
using System.Collections.Immutable;
using NodaTime;

namespace RetentionKit.Loyalty.Referrals;

/// <summary>Where a referral stands.</summary>
public enum ReferralStatus
{
    /// <summary>The referred customer signed up with the code; waiting for their first payment.</summary>
    Attributed = 0,

    /// <summary>A fraud check flagged it: rewards wait for a person's review.</summary>
    Flagged = 1,

    /// <summary>The referred customer paid: rewards were released.</summary>
    Qualified = 2,

    /// <summary>The referred customer was refunded within the window: rewards were reversed.</summary>
    Reversed = 3,

    /// <summary>Blocked by a fraud check at qualification, or rejected on review: no rewards.</summary>
    Rejected = 4,

    /// <summary>The referred customer did not pay within the qualification window: no rewards.</summary>
    Expired = 5,
}

/// <summary>The incentive a referral was promised at attribution, kept with it so later option changes do not move it.</summary>
/// <param name="Name">The incentive's name (the A/B variant).</param>
/// <param name="ReferrerDiscountPercent">The referrer's discount, in percent.</param>
/// <param name="ReferredDiscountPercent">The referred customer's discount, in percent.</param>
/// <param name="DiscountMonths">For how many months the discounts run.</param>
/// <param name="ReferrerCredit">The referrer's credit, in the programme's currency.</param>
/// <param name="PremiumFeatureAccess">Whether the referrer gets premium-feature access.</param>
/// <param name="Points">The referrer's loyalty points (the "referral" earning rule's).</param>
public sealed record ReferralIncentive(
    string Name,
    decimal ReferrerDiscountPercent,
    decimal ReferredDiscountPercent,
    int DiscountMonths,
    Money ReferrerCredit,
    bool PremiumFeatureAccess,
    long Points);

/// <summary>The kinds of referral reward (L5).</summary>
public enum ReferralRewardKind
{
    /// <summary>The referrer's discount for some months.</summary>
    ReferrerDiscount = 0,

    /// <summary>The referred customer's discount for some months.</summary>
    ReferredDiscount = 1,

    /// <summary>The referrer's account credit.</summary>
    ReferrerCredit = 2,

    /// <summary>The referrer's access to the premium feature.</summary>
    PremiumFeatureAccess = 3,

    /// <summary>The referrer's loyalty points, posted to the ledger.</summary>
    Points = 4,
}

/// <summary>
/// One reward of a qualified referral. The host delivers (and, on reversal, revokes) everything but points, which the
/// programme posts itself; <see cref="Key"/> is unique per referral and kind (RI-5), so deliveries can be made idempotent.
/// </summary>
/// <param name="Key">The reward's idempotency key: <c>referral:{referred}:{kind}</c>.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Beneficiary">Who gets it.</param>
/// <param name="Percent">The discount in percent, for discounts.</param>
/// <param name="Months">How many months, for discounts.</param>
/// <param name="Amount">The credit, for credits.</param>
/// <param name="Points">The points, for points.</param>
/// <param name="Cost">What it costs the company, in the programme's currency (discounts priced on the monthly amounts paid; points at <see cref="ReferralOptions.PointValue"/>).</param>
public sealed record ReferralReward(
    string Key,
    ReferralRewardKind Kind,
    CustomerId Beneficiary,
    decimal? Percent,
    int? Months,
    Money? Amount,
    long? Points,
    Money Cost);

/// <summary>What the host reports of the referred customer's first payment.</summary>
/// <param name="Reference">The payment's id in the host's billing.</param>
/// <param name="ReferredMonthlyAmount">What the referred customer pays a month, to price their discount; not negative, in the programme's <see cref="ReferralOptions.Currency"/>.</param>
/// <param name="ReferrerMonthlyAmount">What the referrer pays a month, to price theirs; null when unknown (priced at 0); not negative, in the programme's currency.</param>
public sealed record ReferralPayment(string Reference, Money ReferredMonthlyAmount, Money? ReferrerMonthlyAmount = null);

/// <summary>
/// A referral: one referred customer attributed to one referrer's code (a customer is attributed at most once — RI-5).
/// Immutable; every change is a new version written conditionally.
/// </summary>
/// <param name="Referred">The referred customer; the referral's identity.</param>
/// <param name="Referrer">The referrer.</param>
/// <param name="Code">The code used.</param>
/// <param name="Incentive">The incentive promised.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="AttributedAt">When it was attributed.</param>
/// <param name="Version">The record's version, from 1.</param>
/// <param name="Findings">The fraud checks' findings that are not passes, latest check.</param>
/// <param name="Payment">The qualifying payment, once reported.</param>
/// <param name="QualifiedAt">When it qualified.</param>
/// <param name="Rewards">The rewards released at qualification.</param>
/// <param name="ReferrerLimitReached">Whether the referrer's rewards were withheld by the per-referrer limit (RI-7).</param>
/// <param name="Reviewed">Whether a person approved it after a flag; later flags no longer hold it.</param>
/// <param name="ClosedAt">When it was reversed, rejected or expired.</param>
/// <param name="Note">Why it was closed, or the reviewer's note.</param>
public sealed record Referral(
    CustomerId Referred,
    CustomerId Referrer,
    ReferralCode Code,
    ReferralIncentive Incentive,
    ReferralStatus Status,
    Instant AttributedAt,
    long Version,
    ImmutableArray<FraudFinding> Findings,
    ReferralPayment? Payment = null,
    Instant? QualifiedAt = null,
    ImmutableArray<ReferralReward> Rewards = default,
    bool ReferrerLimitReached = false,
    bool Reviewed = false,
    Instant? ClosedAt = null,
    string? Note = null)
{
    /// <summary>Returns whether every field is equal, the findings and rewards compared item by item (a record read back from a database equals the one written).</summary>
    /// <param name="other">The other referral.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(Referral? other) =>
        other is not null
        && Referred == other.Referred && Referrer == other.Referrer && Code == other.Code && Incentive == other.Incentive
        && Status == other.Status && AttributedAt == other.AttributedAt && Version == other.Version
        && Payment == other.Payment && QualifiedAt == other.QualifiedAt && ReferrerLimitReached == other.ReferrerLimitReached
        && Reviewed == other.Reviewed && ClosedAt == other.ClosedAt && string.Equals(Note, other.Note, StringComparison.Ordinal)
        && Findings.AsSpan().SequenceEqual(other.Findings.AsSpan())
        && Rewards.IsDefault == other.Rewards.IsDefault && Rewards.AsSpan().SequenceEqual(other.Rewards.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Referred, Referrer, Code, Status, Version);
}

/// <summary>A referral the referrer was rewarded for, counted against the per-referrer limit (RI-7).</summary>
/// <param name="Referred">The referred customer.</param>
/// <param name="At">When the reward was claimed.</param>
public sealed record RewardClaim(CustomerId Referred, Instant At);

/// <summary>A referrer: their one code (RI-1) and the rewards they claimed.</summary>
/// <param name="Referrer">The referrer.</param>
/// <param name="Code">Their code.</param>
/// <param name="IssuedAt">When the code was issued.</param>
/// <param name="Claims">The rewarded referrals, oldest first.</param>
/// <param name="Version">The record's version, from 1.</param>
public sealed record ReferrerAccount(CustomerId Referrer, ReferralCode Code, Instant IssuedAt, ImmutableArray<RewardClaim> Claims, long Version)
{
    /// <summary>Returns whether every field is equal, the claims compared item by item.</summary>
    /// <param name="other">The other account.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(ReferrerAccount? other) =>
        other is not null && Referrer == other.Referrer && Code == other.Code && IssuedAt == other.IssuedAt && Version == other.Version
        && Claims.AsSpan().SequenceEqual(other.Claims.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Referrer, Code, Version);
}
