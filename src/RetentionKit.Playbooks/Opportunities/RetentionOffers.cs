using System;
using System.Collections.Immutable;
using System.Linq;
using RetentionKit.Metrics;

namespace RetentionKit.Playbooks;

/// <summary>The three choices of the documents' retention offer (Intervention 3).</summary>
public enum RetentionOfferKind
{
    /// <summary>A discount on the bill for some months (30 % for 3 months by default).</summary>
    Discount = 0,

    /// <summary>The next plan up free for a month.</summary>
    UpgradeMonth = 1,

    /// <summary>A premium feature included for some months.</summary>
    PremiumFeature = 2,
}

/// <summary>One retention offer for one customer, with what it costs and what it is expected to save.</summary>
/// <param name="Kind">The choice.</param>
/// <param name="Improved">Whether it is the improved offer of the day-3 escalation.</param>
/// <param name="Economics">Its cost against the customer's lifetime value, weighed by the chance it works.</param>
public sealed record RetentionOffer(RetentionOfferKind Kind, bool Improved, OfferEvaluation Economics)
{
    /// <summary>Gets the expected saved value less the cost: what the offer is worth, the measure offers are chosen by.</summary>
    public Money ExpectedNetValue => Economics.ExpectedSavedValue - Economics.Cost;

    /// <summary>Gets the offer's name as template variants use it: <c>discount</c>, <c>upgrade-month</c>, <c>premium-feature</c>.</summary>
    public string Name => Kind switch
    {
        RetentionOfferKind.UpgradeMonth => "upgrade-month",
        RetentionOfferKind.PremiumFeature => "premium-feature",
        _ => "discount",
    };
}

/// <summary>
/// Chooses a customer's retention offer by its economics (SPEC M15, B3): each choice the customer can be given is costed
/// — the discount on their monthly revenue, the next plan's extra price for the free months, the premium feature's
/// price for its months — and weighed against their lifetime value times the chance it works; the offer with the
/// highest expected saved value less cost is made, if that is positive. The day-3 escalation's improved offer ("if
/// needed") is each choice made stronger — a deeper discount, twice the months — with its own chance of working.
/// </summary>
public static class RetentionOffers
{
    /// <summary>Costs and weighs every choice the customer can be given.</summary>
    /// <param name="customer">The customer: monthly revenue and lifetime value needed; the upgrade and the premium feature need their prices.</param>
    /// <param name="options">The offers' terms and chances.</param>
    /// <param name="improved">True for the improved offer of the day-3 escalation.</param>
    /// <returns>The choices, best expected net value first (ties: cheaper first); empty when the customer's revenue or value is unknown.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ImmutableArray<RetentionOffer> Evaluate(CustomerState customer, PlaybookOptions options, bool improved = false)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(options);
        if (customer.MonthlyRevenue is not { Amount: > 0m } revenue || customer.LifetimeValue is not { } clv || clv.Currency != revenue.Currency)
        {
            return [];
        }

        var success = Rate.FromFraction(improved ? options.ImprovedOfferSuccess : options.RetentionOfferSuccess);
        var factor = improved ? options.ImprovedOfferLengthFactor : 1;
        var costs = new (RetentionOfferKind Kind, Money? Cost)[]
        {
            (RetentionOfferKind.Discount, RetentionOfferEconomics.DiscountCost(revenue, Rate.FromFraction(improved ? options.ImprovedOfferDiscount : options.RetentionOfferDiscount), options.RetentionOfferMonths)),
            (RetentionOfferKind.UpgradeMonth, customer.UpgradePriceIncrease is { Amount: > 0m } gap && gap.Currency == clv.Currency ? gap * (options.UpgradeOfferMonths * factor) : null),
            (RetentionOfferKind.PremiumFeature, customer.PremiumFeaturePrice is { Amount: > 0m } price && price.Currency == clv.Currency ? price * (options.PremiumFeatureOfferMonths * factor) : null),
        };
        return [.. costs
            .Where(c => c.Cost is { Amount: > 0m })
            .Select(c => new RetentionOffer(c.Kind, improved, RetentionOfferEconomics.Evaluate(c.Cost!.Value, clv, success)))
            .OrderByDescending(o => o.ExpectedNetValue.Amount).ThenBy(o => o.Economics.Cost.Amount).ThenBy(o => o.Kind)];
    }

    /// <summary>Returns the offer to make: the best choice when it is worth its cost, else null.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="options">The offers' terms and chances.</param>
    /// <param name="improved">True for the improved offer of the day-3 escalation.</param>
    /// <returns>The offer, or null when no choice is worth its cost or the customer cannot be weighed.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static RetentionOffer? Choose(CustomerState customer, PlaybookOptions options, bool improved = false) =>
        Evaluate(customer, options, improved) is { IsEmpty: false } offers && offers[0].Economics.IsWorthwhile ? offers[0] : null;
}
