using System;
using System.Collections.Generic;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>What the count models' batch predictions share: the checks, the split over the cores, the caches.</summary>
internal static class BatchPrediction
{
    /// <summary>
    /// Writes each history's P(alive) and expected purchases in the next t (P(alive) × the expectation of a customer
    /// known to be alive, which depends on x and T only). Every history is checked before any output is written. Real
    /// bases repeat histories (everyone who never came back, on a day's resolution), so each worker computes the alive
    /// expectation once per (x, T) it meets, and, with <paramref name="cacheAlive"/> (a P(alive) dearer than a lookup:
    /// Pareto/NBD's two hypergeometric series), P(alive) once per history.
    /// </summary>
    public static void Run(double t, PurchaseHistory[] customers, double[] expectedPurchases, double[] probabilityAlive, Func<PurchaseHistory, double> alive, Func<double, double, double> ifAlive, bool cacheAlive = false)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(expectedPurchases);
        ArgumentNullException.ThrowIfNull(probabilityAlive);
        RetentionKit.Internal.Guard.FiniteNonNegative(t);
        if (expectedPurchases.Length < customers.Length || probabilityAlive.Length < customers.Length)
        {
            throw new ArgumentException($"The outputs must hold {customers.Length} values.", nameof(expectedPurchases));
        }

        for (var i = 0; i < customers.Length; i++)
        {
            customers[i].Validate(nameof(customers), i);
        }

        var partitions = System.Collections.Concurrent.Partitioner.Create(0, customers.Length, Math.Max(4_096, customers.Length / (4 * Environment.ProcessorCount)));
        System.Threading.Tasks.Parallel.ForEach(partitions, range =>
        {
            var alives = new Dictionary<PurchaseHistory, double>();
            var factors = new Dictionary<(double X, double T), double>();
            for (var i = range.Item1; i < range.Item2; i++)
            {
                var h = customers[i];
                double p;
                if (!cacheAlive)
                {
                    p = alive(h);
                }
                else if (!alives.TryGetValue(h, out p))
                {
                    alives[h] = p = alive(h);
                }

                var factor = 0d;
                if (t > 0 && !factors.TryGetValue((h.Frequency, h.T), out factor))
                {
                    factors[(h.Frequency, h.T)] = factor = ifAlive(h.Frequency, h.T);
                }

                probabilityAlive[i] = p;
                expectedPurchases[i] = factor * p;
            }
        });
    }
}
