using System;
using System.Collections.Generic;
using MathNet.Numerics.Distributions;
using NodaTime;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>
/// Draws customer histories from a BG/NBD process: the input for the models' benchmarks (a million customers) and
/// for tests that a fit recovers the parameters it was generated with.
/// </summary>
public static class BgNbdSimulator
{
    /// <summary>
    /// Simulates customers acquired at random over the first <paramref name="acquisitionSpan"/> of a window of length
    /// <paramref name="window"/>: each buys as a Poisson process with a gamma(r, α) rate and drops out after each repeat
    /// purchase with a beta(a, b) probability. Times are rounded to <paramref name="resolution"/> (1/7: days in weeks),
    /// as real logs are, which also lets identical histories collapse into weights.
    /// </summary>
    /// <param name="truth">The parameters to draw from.</param>
    /// <param name="customers">How many customers, at least 1.</param>
    /// <param name="window">The observation window (39 weeks for CDNOW's calibration period).</param>
    /// <param name="acquisitionSpan">Over how much of the window customers are acquired (12 weeks: CDNOW's first quarter).</param>
    /// <param name="seed">The seed: the same seed gives the same histories.</param>
    /// <param name="resolution">The time resolution; positive.</param>
    /// <returns>The histories.</returns>
    public static PurchaseHistory[] Simulate(BgNbdModel truth, int customers, double window, double acquisitionSpan, int seed, double resolution = 1d / 7)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentOutOfRangeException.ThrowIfLessThan(customers, 1);
        RetentionKit.Internal.Guard.FiniteNonNegative(window);
        RetentionKit.Internal.Guard.FiniteInRange(acquisitionSpan, 0, window);
        RetentionKit.Internal.Guard.FiniteNonNegative(resolution);
        if (resolution == 0 || acquisitionSpan >= window)
        {
            throw new ArgumentOutOfRangeException(nameof(resolution), "The resolution must be positive and customers acquired before the window ends.");
        }

        var random = new Random(seed);
        var result = new PurchaseHistory[customers];
        for (var i = 0; i < customers; i++)
        {
            var start = Math.Floor(random.NextDouble() * acquisitionSpan / resolution) * resolution;
            var t = Math.Round((window - start) / resolution) * resolution;
            var rate = Gamma.Sample(random, truth.R, truth.Alpha);
            var dropout = Beta.Sample(random, truth.A, truth.B);
            double time = 0, last = 0;
            var x = 0;
            while (true)
            {
                time += Exponential.Sample(random, rate);
                var rounded = Math.Round(time / resolution) * resolution;
                if (rounded > t || double.IsNaN(time))
                {
                    break;
                }

                x++;
                last = rounded;
                if (random.NextDouble() < dropout)
                {
                    break;
                }
            }

            result[i] = new PurchaseHistory(x, x == 0 ? 0 : last, t);
        }

        return result;
    }

    /// <summary>
    /// Draws a transaction log: each customer buys on their first-purchase day, then as a Poisson process with a
    /// gamma(r, α) rate per period, dropping out after each repeat purchase with a beta(a, b) probability, until
    /// <paramref name="end"/>; each purchase's value is gamma(p, ν) with the customer's ν drawn from gamma(q, γ)
    /// (<paramref name="spend"/>), rounded to cents. The log to test a model on a hold-out period with: summarise it up to
    /// a calibration end (<see cref="TransactionSummary.From"/>) and count what follows.
    /// </summary>
    /// <param name="purchases">The purchase process, its rate per period of <paramref name="periodDays"/> days.</param>
    /// <param name="spend">The spend process.</param>
    /// <param name="customers">Each customer's id and first-purchase day.</param>
    /// <param name="end">The last day of the log (inclusive).</param>
    /// <param name="seed">The seed: the same seed and customers give the same log.</param>
    /// <param name="periodDays">Days per period of the model (7: weeks).</param>
    /// <returns>The transactions, by customer in the given order, then by day.</returns>
    /// <exception cref="ArgumentException">A customer has no id or first buys after <paramref name="end"/>, or the period is not positive.</exception>
    public static Transaction[] SimulateTransactions(BgNbdModel purchases, GammaGammaModel spend, IReadOnlyList<(string Customer, LocalDate FirstPurchase)> customers, LocalDate end, int seed, double periodDays = 7)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(customers);
        RetentionKit.Internal.Guard.FiniteNonNegative(periodDays);
        if (periodDays == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(periodDays), periodDays, "A period has a positive number of days.");
        }

        for (var i = 0; i < customers.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(customers[i].Customer) || customers[i].FirstPurchase > end)
            {
                throw new ArgumentException($"Customer {i} needs an id and a first purchase on or before {end}.", nameof(customers));
            }
        }

        var random = new Random(seed);
        var log = new List<Transaction>();
        foreach (var (customer, first) in customers)
        {
            var rate = Gamma.Sample(random, purchases.R, purchases.Alpha);
            var dropout = Beta.Sample(random, purchases.A, purchases.B);
            var nu = Gamma.Sample(random, spend.Q, spend.Gamma);
            var days = Period.Between(first, end, PeriodUnits.Days).Days;
            log.Add(new Transaction(customer, first, Value()));
            var time = 0d;
            while (true)
            {
                time += Exponential.Sample(random, rate) * periodDays;
                if (double.IsNaN(time) || time > days)
                {
                    break;
                }

                log.Add(new Transaction(customer, first.PlusDays((int)time), Value()));
                if (random.NextDouble() < dropout)
                {
                    break;
                }
            }

            decimal Value() => Math.Round((decimal)Gamma.Sample(random, spend.P, nu), 2);
        }

        return [.. log];
    }
}
