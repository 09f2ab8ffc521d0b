using System.ComponentModel.DataAnnotations;

namespace RetentionKit.Metrics.Subscriptions;

/// <summary>The edge-case policies of MRR movements and cohorts (SPEC M8–M9). Every policy has a documented default.</summary>
public sealed class SubscriptionAnalysisOptions
{
    /// <summary>Gets or sets how a customer who subscribes and cancels within one month is counted.</summary>
    /// <value>The default value is <see cref="SamePeriodSignupAndCancelPolicy.CountAsNewAndChurned"/>.</value>
    [EnumDataType(typeof(SamePeriodSignupAndCancelPolicy))]
    public SamePeriodSignupAndCancelPolicy SamePeriodSignupAndCancel { get; set; } = SamePeriodSignupAndCancelPolicy.CountAsNewAndChurned;

    /// <summary>
    /// Gets or sets how many months after a cancellation a returning customer still counts as a reactivation; a
    /// customer who returns later counts as new business. Null means no limit.
    /// </summary>
    /// <value>The default value is null (every return is a reactivation).</value>
    [Range(1, 1200)]
    public int? ReactivationWindowMonths { get; set; }

    /// <summary>Gets or sets whether MRR is measured net of discounts or at list price.</summary>
    /// <value>The default value is <see cref="DiscountTreatment.NetOfDiscount"/>.</value>
    [EnumDataType(typeof(DiscountTreatment))]
    public DiscountTreatment Discounts { get; set; } = DiscountTreatment.NetOfDiscount;

    /// <summary>Gets or sets whether each customer's monthly amount (an annual plan ÷ 12, a discounted price) is kept exact or rounded to the currency's minor unit.</summary>
    /// <value>The default value is <see cref="NormalisedAmountRounding.Exact"/>.</value>
    [EnumDataType(typeof(NormalisedAmountRounding))]
    public NormalisedAmountRounding MonthlyAmountRounding { get; set; } = NormalisedAmountRounding.Exact;
}

/// <summary>How a customer who subscribes and cancels within one month appears in that month's movements.</summary>
public enum SamePeriodSignupAndCancelPolicy
{
    /// <summary>As new (or reactivation) MRR and as churned MRR of the same amount; the customer counts once in each.</summary>
    CountAsNewAndChurned,

    /// <summary>Left out of the month's movements and customer counts (the net effect is zero either way).</summary>
    Exclude,
}

/// <summary>Whether a discounted subscription's MRR is what the customer pays or the list price.</summary>
public enum DiscountTreatment
{
    /// <summary>MRR is the discounted price; a discount that ends shows as expansion.</summary>
    NetOfDiscount,

    /// <summary>MRR is the list price; discounts do not move MRR.</summary>
    ListPrice,
}

/// <summary>How a customer's monthly amount is kept when normalising (annual ÷ 12) or discounting leaves fractions of a minor unit.</summary>
public enum NormalisedAmountRounding
{
    /// <summary>Full decimal precision: an annual 1,000 is 83.3333… a month.</summary>
    Exact,

    /// <summary>Rounded to the currency's minor unit with banker's rounding: an annual 1,000 is 83.33 a month.</summary>
    MinorUnit,
}
