using System;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>Customer lifetime value from the probabilistic models: BG/NBD for how many purchases, Gamma-Gamma for how much each.</summary>
public static class ProbabilisticClv
{
    /// <summary>
    /// CLV by discounted cash flow over a horizon: for each month i, the expected purchases in that month (the change
    /// in BG/NBD's conditional expectation) × the expected transaction value (Gamma-Gamma) × the margin, discounted
    /// by (1 + d)^i.
    /// </summary>
    /// <param name="purchases">The fitted BG/NBD model.</param>
    /// <param name="spend">The fitted Gamma-Gamma model.</param>
    /// <param name="history">The customer's purchase history, in the BG/NBD model's time unit.</param>
    /// <param name="meanValue">The mean value of the customer's repeat purchases (ignored without any).</param>
    /// <param name="months">The horizon in months, 1 to 1,200.</param>
    /// <param name="monthlyDiscountRate">The discount rate per month, 0 or more.</param>
    /// <param name="margin">The margin on revenue, 0 to 1.</param>
    /// <param name="unitsPerMonth">The model's time units per month (4.345 for weeks).</param>
    /// <returns>The CLV, in the currency of the transaction values.</returns>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public static double Value(BgNbdModel purchases, GammaGammaModel spend, PurchaseHistory history, double meanValue, int months, double monthlyDiscountRate, double margin, double unitsPerMonth = 4.345)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(months, 1_200);
        RetentionKit.Internal.Guard.FiniteNonNegative(monthlyDiscountRate);
        RetentionKit.Internal.Guard.FiniteInRange(margin, 0, 1);
        RetentionKit.Internal.Guard.FiniteNonNegative(unitsPerMonth);
        if (unitsPerMonth == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(unitsPerMonth), unitsPerMonth, "A month holds a positive number of the model's time units.");
        }

        var value = spend.ConditionalExpectedValue(new SpendHistory(history.Frequency, history.Frequency == 0 ? 0 : meanValue)) * margin;
        double clv = 0, before = 0;
        for (var i = 1; i <= months; i++)
        {
            var upTo = purchases.ConditionalExpectedPurchases(i * unitsPerMonth, history);
            clv += (upTo - before) * value / Math.Pow(1 + monthlyDiscountRate, i);
            before = upTo;
        }

        return clv;
    }
}
