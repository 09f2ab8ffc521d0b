using System;
using System.Collections.Generic;
using System.Linq;
using NodaTime;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>One purchase: who, when, for how much.</summary>
/// <param name="Customer">The customer's id.</param>
/// <param name="Date">The day.</param>
/// <param name="Value">The amount (0 or more).</param>
public readonly record struct Transaction(string Customer, LocalDate Date, decimal Value);

/// <summary>A customer's summary for the buy-till-you-die models.</summary>
/// <param name="Customer">The customer's id.</param>
/// <param name="History">Repeat purchases, recency and age, in periods.</param>
/// <param name="MonetaryValue">The mean value of the repeat purchases (0 without any).</param>
public readonly record struct CustomerSummary(string Customer, PurchaseHistory History, decimal MonetaryValue);

/// <summary>Builds (frequency, recency, T, monetary value) from a raw transaction log, as the models read it.</summary>
public static class TransactionSummary
{
    private static int DayNumber(this LocalDate date) => (int)(date.ToDateOnly().DayNumber);

    /// <summary>
    /// Summarises each customer who bought by the calibration end: purchases on the same day count as one (their values
    /// summed); frequency is the number of later purchase days up to the calibration end; recency the time from the
    /// first purchase to the last of them; T the time from the first purchase to the calibration end; all in periods
    /// of <paramref name="periodDays"/> days; the monetary value is the mean of the repeat purchase days' values. A
    /// customer whose first purchase is on the calibration end itself has not been watched at all (T = 0, which no
    /// model can read) and is left out.
    /// </summary>
    /// <param name="transactions">The transactions.</param>
    /// <param name="calibrationEnd">The last day of the calibration period (inclusive).</param>
    /// <param name="periodDays">Days per period (7: weeks).</param>
    /// <returns>The summaries, in customer order (ordinal).</returns>
    /// <exception cref="ArgumentException">A transaction has no customer or a negative value, or the period is not positive.</exception>
    public static IReadOnlyList<CustomerSummary> From(IEnumerable<Transaction> transactions, LocalDate calibrationEnd, double periodDays = 7)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        RetentionKit.Internal.Guard.FiniteNonNegative(periodDays);
        if (periodDays == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(periodDays), periodDays, "A period has a positive number of days.");
        }

        // Every transaction is checked (a bad one anywhere is refused, whatever its date); those by the calibration end
        // are sorted by customer and day, and each customer is then one run of the array.
        var kept = new List<Transaction>(transactions.TryGetNonEnumeratedCount(out var count) ? count : 0);
        foreach (var t in transactions)
        {
            if (string.IsNullOrWhiteSpace(t.Customer))
            {
                throw new ArgumentException("A transaction needs a customer id.", nameof(transactions));
            }

            if (t.Value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(transactions), t.Value, $"Transaction values are not negative (customer {t.Customer}, {t.Date}).");
            }

            if (t.Date <= calibrationEnd)
            {
                kept.Add(t);
            }
        }

        // Sorted by an integer key — the customer's rank among the distinct ids (ordinal), then the day — rather than
        // by comparing ids: the ids are compared only to rank the distinct ones.
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in kept)
        {
            rank.TryAdd(t.Customer, 0);
        }

        var ids = new string[rank.Count];
        rank.Keys.CopyTo(ids, 0);
        Array.Sort(ids, StringComparer.Ordinal);
        for (var k = 0; k < ids.Length; k++)
        {
            rank[ids[k]] = k;
        }

        var sorted = kept.ToArray();
        var keys = new long[sorted.Length];
        for (var k = 0; k < sorted.Length; k++)
        {
            keys[k] = ((long)rank[sorted[k].Customer] << 32) | (uint)sorted[k].Date.DayNumber();
        }

        Array.Sort(keys, sorted);
        var summaries = new List<CustomerSummary>();
        var end = calibrationEnd.DayNumber();
        for (var i = 0; i < sorted.Length;)
        {
            var customer = sorted[i].Customer;
            var first = sorted[i].Date;
            var (repeats, lastDay, repeatValue) = (0, first, 0m);
            for (i++; i < sorted.Length && string.Equals(sorted[i].Customer, customer, StringComparison.Ordinal); i++)
            {
                // Purchases on one day are one purchase of their summed value; the first day's are not a repeat.
                if (sorted[i].Date == first)
                {
                    continue;
                }

                if (sorted[i].Date != lastDay)
                {
                    repeats++;
                    lastDay = sorted[i].Date;
                }

                repeatValue += sorted[i].Value;
            }

            if (first == calibrationEnd)
            {
                continue;
            }

            var history = new PurchaseHistory(repeats, repeats == 0 ? 0 : (lastDay.DayNumber() - first.DayNumber()) / periodDays, (end - first.DayNumber()) / periodDays);
            summaries.Add(new CustomerSummary(customer, history, repeats == 0 ? 0m : repeatValue / repeats));
        }

        return summaries;
    }
}
