using System;
using RetentionKit.Internal;

namespace RetentionKit.Metrics;

/// <summary>Churn and retention rates and their conversion between period lengths (SPEC M4–M5).</summary>
/// <remarks>
/// A churn rate and the retention rate of the same period are complements (<see cref="Rate.Complement"/>).
/// Converting between period lengths compounds: a customer retained for a year was retained in each of its twelve
/// months, so annual retention = (monthly retention)^12 and annual churn = 1 − (1 − monthly churn)^12.
/// </remarks>
public static class Churn
{
    /// <summary>Period churn rate = customers lost ÷ customers at the start of the period (SPEC M4). 1,000 and 50 → 5 %.</summary>
    /// <param name="customersAtStart">Customers at the start of the period; greater than zero.</param>
    /// <param name="customersLost">Of those, the customers lost during the period; not negative, at most <paramref name="customersAtStart"/>.</param>
    /// <returns>The churn rate of the period.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="customersAtStart"/> is not positive (the churn of an empty population is undefined), or
    /// <paramref name="customersLost"/> is negative or larger than <paramref name="customersAtStart"/>.
    /// </exception>
    public static Rate PeriodRate(long customersAtStart, long customersLost)
    {
        if (customersAtStart <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(customersAtStart), customersAtStart, "customersAtStart must be greater than zero: the churn rate of an empty population is undefined.");
        }

        Guard.NonNegative(customersLost);
        if (customersLost > customersAtStart)
        {
            throw new ArgumentOutOfRangeException(nameof(customersLost), customersLost, $"customersLost must not exceed customersAtStart ({customersAtStart}); customers acquired during the period are not in the denominator.");
        }

        return Rate.FromCounts(customersLost, customersAtStart);
    }

    /// <summary>Converts a churn rate per period to the churn rate over several periods by compounding: 1 − (1 − c)^periods.</summary>
    /// <param name="churnPerPeriod">The churn rate of one period.</param>
    /// <param name="periods">The number of periods; finite and greater than zero (fractions allowed).</param>
    /// <returns>The churn rate over <paramref name="periods"/> periods.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="periods"/> is not finite or not positive.</exception>
    public static Rate Compound(Rate churnPerPeriod, double periods)
    {
        Guard.Finite(periods);
        if (periods <= 0d)
        {
            throw new ArgumentOutOfRangeException(nameof(periods), periods, "periods must be greater than zero.");
        }

        // Clamp the last ulp only: Pow can land a hair outside [0, 1] for extreme inputs.
        var retained = Math.Pow(churnPerPeriod.Complement.Fraction, periods);
        return Rate.FromFraction(Math.Clamp(1d - retained, 0d, 1d));
    }

    /// <summary>Annual churn from monthly churn by compounding: 1 − (1 − m)^12 (SPEC M5). 5 % → 45.96 %.</summary>
    /// <param name="monthlyChurn">The monthly churn rate.</param>
    /// <returns>The annual churn rate.</returns>
    public static Rate MonthlyToAnnual(Rate monthlyChurn) => Compound(monthlyChurn, 12d);

    /// <summary>Monthly churn from annual churn, the inverse of <see cref="MonthlyToAnnual"/>: 1 − (1 − a)^(1/12).</summary>
    /// <param name="annualChurn">The annual churn rate.</param>
    /// <returns>The monthly churn rate.</returns>
    public static Rate AnnualToMonthly(Rate annualChurn) => Compound(annualChurn, 1d / 12d);

    /// <summary>
    /// Annual churn by the source document's shortcut, monthly churn × 12 (it calls 5 %/month "60 % anual").
    /// </summary>
    /// <param name="monthlyChurn">The monthly churn rate.</param>
    /// <returns>12 × the monthly rate, as a <see cref="Ratio"/> because it exceeds 100 % once monthly churn passes 8.33 %.</returns>
    /// <remarks>
    /// This overstates churn because it counts customers who have already left as leaving again; it is provided to
    /// reproduce figures quoted that way. Use <see cref="MonthlyToAnnual"/> for the true annual rate.
    /// </remarks>
    public static Ratio MonthlyToAnnualBySimpleMultiplication(Rate monthlyChurn) => Ratio.FromFraction(monthlyChurn.Fraction * 12d);
}
