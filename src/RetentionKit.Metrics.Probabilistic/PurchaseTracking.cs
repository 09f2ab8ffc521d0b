using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>
/// What a fitted BG/NBD model says over time: the expected cumulative repeat purchases of a population (drawn against
/// the actual cumulative curve, the tracking plot that shows whether a fit follows the data) and the path of one
/// customer's P(alive) as their purchases come and the weeks without one pass.
/// </summary>
public static class PurchaseTracking
{
    /// <summary>
    /// The expected cumulative repeat purchases of a population at each time: Σ over customers of E[X(t − s)], s the
    /// customer's first purchase (nothing before it).
    /// </summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="firstPurchases">Each customer's first purchase, in periods from the origin; finite and not negative.</param>
    /// <param name="times">The times, in periods from the same origin; finite and not negative.</param>
    /// <returns>The expected cumulative repeat purchases at each time, in the order given.</returns>
    /// <exception cref="ArgumentException">A time or first purchase is negative or not finite.</exception>
    public static ImmutableArray<double> ExpectedCumulativeRepeats(BgNbdModel model, IReadOnlyList<double> firstPurchases, IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(firstPurchases);
        ArgumentNullException.ThrowIfNull(times);

        // Customers who started at the same time (a day's cohort) share one expectation.
        var cohorts = new SortedDictionary<double, int>();
        for (var i = 0; i < firstPurchases.Count; i++)
        {
            RequireTime(firstPurchases[i], nameof(firstPurchases), i);
            cohorts[firstPurchases[i]] = cohorts.GetValueOrDefault(firstPurchases[i]) + 1;
        }

        var result = ImmutableArray.CreateBuilder<double>(times.Count);
        for (var k = 0; k < times.Count; k++)
        {
            var t = RequireTime(times[k], nameof(times), k);
            double sum = 0;
            foreach (var (start, customers) in cohorts)
            {
                if (start >= t)
                {
                    break;
                }

                sum += customers * model.ExpectedPurchases(t - start);
            }

            result.Add(sum);
        }

        return result.MoveToImmutable();
    }

    /// <summary>
    /// One customer's P(alive) at each time since their first purchase: at time τ their history is the repeat
    /// purchases by τ (x of them, the last at t_x) and T = τ; at τ = 0, the first purchase, it is 1.
    /// </summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="repeatPurchases">The customer's repeat purchases, in periods since the first purchase: positive, finite, ascending.</param>
    /// <param name="times">The times since the first purchase; finite and not negative.</param>
    /// <returns>P(alive) at each time, in the order given.</returns>
    /// <exception cref="ArgumentException">A purchase or time breaks its rule.</exception>
    public static ImmutableArray<double> ProbabilityAlivePath(BgNbdModel model, IReadOnlyList<double> repeatPurchases, IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(repeatPurchases);
        ArgumentNullException.ThrowIfNull(times);
        for (var i = 0; i < repeatPurchases.Count; i++)
        {
            var p = repeatPurchases[i];
            if (!double.IsFinite(p) || p <= 0 || (i > 0 && p < repeatPurchases[i - 1]))
            {
                throw new ArgumentOutOfRangeException(nameof(repeatPurchases), p, $"repeatPurchases[{i}] must be positive, finite and not before the one before it.");
            }
        }

        var result = ImmutableArray.CreateBuilder<double>(times.Count);
        for (var k = 0; k < times.Count; k++)
        {
            var tau = RequireTime(times[k], nameof(times), k);

            // x: the purchases by τ (a purchase at τ counts), found by bisection.
            var (low, high) = (0, repeatPurchases.Count);
            while (low < high)
            {
                var middle = (low + high) / 2;
                (low, high) = repeatPurchases[middle] <= tau ? (middle + 1, high) : (low, middle);
            }

            // At the first purchase itself every customer is alive (the model's start); T = 0 is no history to read.
            result.Add(tau == 0 ? 1 : model.ProbabilityAlive(new PurchaseHistory(low, low == 0 ? 0 : repeatPurchases[low - 1], tau)));
        }

        return result.MoveToImmutable();
    }

    private static double RequireTime(double value, string name, int index) =>
        double.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name}[{index}] must be finite and not negative.");
}
