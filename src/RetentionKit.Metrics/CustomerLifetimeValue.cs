using System;
using RetentionKit.Internal;

namespace RetentionKit.Metrics;

/// <summary>Customer lifetime value (CLV): what a customer is worth in gross margin over their expected lifetime (SPEC M1–M3).</summary>
/// <remarks>
/// <para>
/// All rates are per period, and the period is the one the ARPU is quoted in: a monthly ARPU needs a
/// monthly churn rate. The results are unrounded <see cref="Money"/>; call <see cref="Money.Round()"/> for display.
/// </para>
/// <para>
/// Timing convention: a customer pays at the start of each period they are a customer, the first payment undiscounted.
/// With churn <c>c</c>, the expected number of payments is 1 + (1 − c) + (1 − c)² + … = 1 ÷ c, which is where the
/// simple formula's "1 ÷ churn" comes from; the discounted form keeps the same convention so both agree when the
/// discount and growth rates are zero.
/// </para>
/// </remarks>
public static class CustomerLifetimeValue
{
    /// <summary>
    /// Simple CLV = ARPU × gross margin × 1 ÷ churn rate (SPEC M1). $100/month, 80 %, 5 %/month → $1,600.
    /// </summary>
    /// <param name="arpu">Average revenue per user per period; not negative.</param>
    /// <param name="grossMargin">The gross margin on that revenue.</param>
    /// <param name="churnRate">The churn rate per period; greater than zero.</param>
    /// <returns>The lifetime gross margin of one customer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="arpu"/> is negative, or <paramref name="churnRate"/> is zero: without churn a perpetual CLV is
    /// unbounded; use <see cref="Discounted"/> with a discount rate or a finite horizon.
    /// </exception>
    public static Money Simple(Money arpu, Rate grossMargin, Rate churnRate)
    {
        Guard.NonNegative(arpu.Amount, nameof(arpu));
        RequirePositiveChurn(churnRate);
        return arpu * ToDecimal(grossMargin.Fraction) / ToDecimal(churnRate.Fraction);
    }

    /// <summary>
    /// CLV with expansion exactly as the source document states it: simple CLV × (1 + expansion rate) (SPEC M2).
    /// $100/month, 80 %, 5 %/month, 20 % → $1,920.
    /// </summary>
    /// <param name="arpu">Average revenue per user per period; not negative.</param>
    /// <param name="grossMargin">The gross margin on that revenue.</param>
    /// <param name="churnRate">The churn rate per period; greater than zero.</param>
    /// <param name="expansionRate">The expansion rate, applied once as a flat uplift.</param>
    /// <returns>The simple CLV raised by the expansion rate.</returns>
    /// <remarks>
    /// The document builds CLV on a monthly churn rate and multiplies it by an annual expansion rate, so the uplift
    /// is neither compounded nor matched to the churn period. It is kept because teams quote it; for a consistent
    /// figure use <see cref="WithCompoundedExpansion"/>. docs/metrics.md compares the two.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="arpu"/> is negative or <paramref name="churnRate"/> is zero.</exception>
    public static Money WithExpansionAsDocumented(Money arpu, Rate grossMargin, Rate churnRate, Ratio expansionRate) =>
        Simple(arpu, grossMargin, churnRate) * (1m + ToDecimal(expansionRate.Fraction));

    /// <summary>
    /// CLV with expansion that is consistent in time: the annual expansion rate becomes the monthly growth
    /// (1 + e)^(1/12) − 1 of the ARPU of a surviving customer, and the expected margin is summed month by month.
    /// </summary>
    /// <param name="monthlyArpu">Average revenue per user per month; not negative.</param>
    /// <param name="grossMargin">The gross margin on that revenue.</param>
    /// <param name="monthlyChurnRate">The churn rate per month; greater than zero.</param>
    /// <param name="annualExpansionRate">Revenue growth of a surviving customer over a year.</param>
    /// <returns>ARPU × margin ÷ (1 − (1 + g)(1 − c)) with g the monthly growth and c the monthly churn.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="monthlyArpu"/> is negative, <paramref name="monthlyChurnRate"/> is zero, or the monthly growth is at
    /// least the monthly churn rate (the sum would not converge).
    /// </exception>
    public static Money WithCompoundedExpansion(Money monthlyArpu, Rate grossMargin, Rate monthlyChurnRate, Ratio annualExpansionRate)
    {
        var growth = Math.Pow(1d + annualExpansionRate.Fraction, 1d / 12d) - 1d;
        return Discounted(monthlyArpu, grossMargin, monthlyChurnRate, Rate.Zero, growth, horizonPeriods: null);
    }

    /// <summary>
    /// Discounted CLV with per-period growth and an optional finite horizon (SPEC M3):
    /// Σ ARPU × margin × ((1 + g)(1 − c) ÷ (1 + d))^t for t = 0 … H − 1 (or to infinity).
    /// </summary>
    /// <param name="arpu">Average revenue per user per period; not negative.</param>
    /// <param name="grossMargin">The gross margin on that revenue.</param>
    /// <param name="churnRate">The churn rate per period. Zero is allowed when the discount rate is positive or the horizon finite.</param>
    /// <param name="discountRate">The discount rate per period (cost of capital).</param>
    /// <param name="growthRate">Per-period growth of a surviving customer's ARPU; greater than −1 and less than churn + discount.</param>
    /// <param name="horizonPeriods">The number of periods counted; null for no limit.</param>
    /// <returns>The present value of the customer's expected margin.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="arpu"/> is negative; <paramref name="growthRate"/> is not finite, is −1 or less, or is at least
    /// churn + discount; <paramref name="horizonPeriods"/> is not positive; or the horizon is unlimited with neither
    /// churn nor discount (the value would be unbounded).
    /// </exception>
    public static Money Discounted(Money arpu, Rate grossMargin, Rate churnRate, Rate discountRate, double growthRate = 0d, int? horizonPeriods = null)
    {
        Guard.NonNegative(arpu.Amount, nameof(arpu));
        Guard.Finite(growthRate);
        if (growthRate <= -1d)
        {
            throw new ArgumentOutOfRangeException(nameof(growthRate), growthRate, "growthRate must be greater than -1 (a customer cannot lose more than all their revenue in a period).");
        }

        if (growthRate >= churnRate.Fraction + discountRate.Fraction)
        {
            throw new ArgumentOutOfRangeException(
                nameof(growthRate),
                growthRate,
                $"growthRate must be less than churn + discount ({churnRate.Fraction + discountRate.Fraction}); growth that outpaces both makes the value depend on the far future and, without a horizon, unbounded.");
        }

        if (horizonPeriods is { } horizon)
        {
            Guard.Positive(horizon, nameof(horizonPeriods));
        }

        // growth < churn + discount with both in [0, 1] keeps q < 1 (q = 1 + g − c − gc over 1 + d).
        var q = (1d + growthRate) * churnRate.Complement.Fraction / (1d + discountRate.Fraction);
        var factor = horizonPeriods is { } h
            ? (1d - Math.Pow(q, h)) / (1d - q)
            : 1d / (1d - q);

        return arpu * ToDecimal(grossMargin.Fraction) * ToDecimal(factor);
    }

    private static void RequirePositiveChurn(Rate churnRate)
    {
        if (churnRate.Fraction <= 0d)
        {
            throw new ArgumentOutOfRangeException(
                nameof(churnRate),
                churnRate.Fraction,
                "churnRate must be greater than zero: with no churn a perpetual CLV is unbounded. Use CustomerLifetimeValue.Discounted with a discount rate or a finite horizon.");
        }
    }

    // (decimal)double keeps 15 significant digits, so 0.05 becomes exactly 0.05m and the worked examples are exact.
    private static decimal ToDecimal(double value) => (decimal)value;
}
