using System;
using RetentionKit.Internal;

namespace RetentionKit.Metrics;

/// <summary>Whether a retention offer is worth its cost (SPEC M15).</summary>
/// <remarks>
/// The source document's example: 30 % off $1,000 of billing over three months costs $300 and protects a CLV of
/// $1,000, a value-to-cost ratio of 3.3 : 1 ("3 : 1 or better, worth it"). The document's ratio ignores the chance
/// that the offer fails; <see cref="OfferEvaluation.ExpectedReturn"/> weighs it in, and Playbooks gate offers on
/// <see cref="OfferEvaluation.IsWorthwhile"/>.
/// </remarks>
public static class RetentionOfferEconomics
{
    /// <summary>The cost of a discount offer: the discount applied to what the customer is billed while it lasts.</summary>
    /// <param name="billedDuringOffer">What the customer would be billed at list price over the offer's duration; not negative.</param>
    /// <param name="discount">The discount.</param>
    /// <returns>The revenue given up.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="billedDuringOffer"/> is negative.</exception>
    public static Money DiscountCost(Money billedDuringOffer, Rate discount)
    {
        Guard.NonNegative(billedDuringOffer.Amount, nameof(billedDuringOffer));
        return billedDuringOffer * (decimal)discount.Fraction;
    }

    /// <summary>The cost of a discount offer on a recurring price: price × discount × periods.</summary>
    /// <param name="pricePerPeriod">The list price per period; not negative.</param>
    /// <param name="discount">The discount.</param>
    /// <param name="periods">The number of discounted periods; greater than zero.</param>
    /// <returns>The revenue given up.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pricePerPeriod"/> is negative or <paramref name="periods"/> is not positive.</exception>
    public static Money DiscountCost(Money pricePerPeriod, Rate discount, int periods)
    {
        Guard.Positive(periods);
        Guard.NonNegative(pricePerPeriod.Amount, nameof(pricePerPeriod));
        return DiscountCost(pricePerPeriod * periods, discount);
    }

    /// <summary>Weighs an offer's cost against the value it protects.</summary>
    /// <param name="offerCost">What the offer costs; greater than zero.</param>
    /// <param name="valueAtRisk">The value lost if the customer leaves (their CLV); not negative.</param>
    /// <param name="successProbability">The chance the offer keeps the customer.</param>
    /// <returns>The evaluation.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offerCost"/> is not positive or <paramref name="valueAtRisk"/> is negative.</exception>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static OfferEvaluation Evaluate(Money offerCost, Money valueAtRisk, Rate successProbability)
    {
        Guard.Positive(offerCost.Amount, nameof(offerCost));
        Guard.NonNegative(valueAtRisk.Amount, nameof(valueAtRisk));
        _ = offerCost + valueAtRisk; // currency check
        var expectedSaved = valueAtRisk * (decimal)successProbability.Fraction;
        return new OfferEvaluation(
            offerCost,
            valueAtRisk,
            expectedSaved,
            Ratio.FromFraction((double)(valueAtRisk.Amount / offerCost.Amount)),
            Ratio.FromFraction((double)(expectedSaved.Amount / offerCost.Amount)));
    }
}

/// <summary>The economics of one retention offer.</summary>
/// <param name="Cost">What the offer costs.</param>
/// <param name="ValueAtRisk">The value lost if the customer leaves.</param>
/// <param name="ExpectedSavedValue">Value at risk × the chance the offer works.</param>
/// <param name="ValueToCost">Value at risk ÷ cost: the source document's "3 : 1".</param>
/// <param name="ExpectedReturn">Expected saved value ÷ cost.</param>
public sealed record OfferEvaluation(Money Cost, Money ValueAtRisk, Money ExpectedSavedValue, Ratio ValueToCost, Ratio ExpectedReturn)
{
    /// <summary>Gets whether the expected saved value is greater than the cost.</summary>
    public bool IsWorthwhile => ExpectedSavedValue > Cost;
}
