using System;
using System.Collections.Generic;
using System.Linq;
using System.Collections.Immutable;
using NodaTime;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>A customer of the calibration period: their calibration summary and what they did in the hold-out period.</summary>
/// <param name="Customer">The customer's id.</param>
/// <param name="Calibration">The purchase history at the end of the calibration period.</param>
/// <param name="CalibrationMonetaryValue">The mean value of their repeat purchases in the calibration period (0 without any).</param>
/// <param name="HoldoutPurchases">The purchases in the hold-out period (purchases on one day count once, as in the calibration summary).</param>
/// <param name="HoldoutSpend">The value spent in the hold-out period.</param>
public readonly record struct HoldoutCustomer(string Customer, PurchaseHistory Calibration, decimal CalibrationMonetaryValue, int HoldoutPurchases, decimal HoldoutSpend);

/// <summary>
/// A transaction log cut at a date into a calibration period, whose summaries the models are fitted on, and a hold-out
/// period, whose purchases they are judged on: the test every buy-till-you-die model is put to before it is trusted.
/// </summary>
/// <param name="CalibrationEnd">The last day of the calibration period.</param>
/// <param name="ObservationEnd">The last day of the hold-out period.</param>
/// <param name="PeriodDays">The days in one time unit of the histories (7: weeks).</param>
/// <param name="Customers">The customers whose first purchase falls in the calibration period, in id order.</param>
public sealed record CalibrationHoldoutSplit(LocalDate CalibrationEnd, LocalDate ObservationEnd, double PeriodDays, ImmutableArray<HoldoutCustomer> Customers)
{
    /// <summary>Gets the length of the hold-out period in time units.</summary>
    public double HoldoutLength => Period.DaysBetween(CalibrationEnd, ObservationEnd) / PeriodDays;

    /// <summary>Splits a transaction log: calibration summaries through <paramref name="calibrationEnd"/>, hold-out counts and spend after it through <paramref name="observationEnd"/>.</summary>
    /// <param name="transactions">The transactions.</param>
    /// <param name="calibrationEnd">The last day of the calibration period.</param>
    /// <param name="observationEnd">The last day of the hold-out period; after <paramref name="calibrationEnd"/>.</param>
    /// <param name="periodDays">The days in one time unit (7: weeks); positive.</param>
    /// <returns>The split. Customers who first buy in the hold-out period are not in it (the models predict for customers they have seen).</returns>
    /// <exception cref="ArgumentException">A transaction without a customer or with a negative value, a hold-out that does not end after the calibration, or a bad time unit.</exception>
    public static CalibrationHoldoutSplit From(IEnumerable<Transaction> transactions, LocalDate calibrationEnd, LocalDate observationEnd, double periodDays = 7)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        if (observationEnd <= calibrationEnd)
        {
            throw new ArgumentOutOfRangeException(nameof(observationEnd), observationEnd, $"The hold-out period must end after the calibration period ({calibrationEnd:uuuu-MM-dd}).");
        }

        var all = new List<Transaction>(transactions.TryGetNonEnumeratedCount(out var count) ? count : 0);
        foreach (var t in transactions)
        {
            all.Add(t);
        }

        // The calibration summaries check every transaction (ids, values); the hold-out adds what happened after.
        var calibration = TransactionSummary.From(all, calibrationEnd, periodDays);
        var holdout = new Dictionary<string, (HashSet<LocalDate> Days, decimal Spend)>(StringComparer.Ordinal);
        foreach (var t in all)
        {
            if (t.Date > calibrationEnd && t.Date <= observationEnd)
            {
                if (!holdout.TryGetValue(t.Customer, out var seen))
                {
                    seen = ([], 0m);
                }

                seen.Days.Add(t.Date);
                holdout[t.Customer] = (seen.Days, seen.Spend + t.Value);
            }
        }

        var customers = ImmutableArray.CreateBuilder<HoldoutCustomer>(calibration.Count);
        foreach (var c in calibration)
        {
            var (days, spend) = holdout.TryGetValue(c.Customer, out var h) ? (h.Days.Count, h.Spend) : (0, 0m);
            customers.Add(new HoldoutCustomer(c.Customer, c.History, c.MonetaryValue, days, spend));
        }

        return new CalibrationHoldoutSplit(calibrationEnd, observationEnd, periodDays, customers.MoveToImmutable());
    }
}
