using System;
using MathNet.Numerics.Distributions;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>Draws discrete-time histories from a BG/BB process: the input of the benchmarks and of the tests that a fit's intervals cover the truth.</summary>
public static class BgBbSimulator
{
    /// <summary>
    /// Simulates customers over <paramref name="periods"/> opportunities: each has a transaction probability
    /// p ~ beta(α, β) and a dropout probability θ ~ beta(γ, δ); at each opportunity a customer still alive leaves with
    /// θ first (Fader, Hardie &amp; Shang 2010: inactive "at the beginning of a transaction opportunity"), and otherwise
    /// transacts with p.
    /// </summary>
    /// <param name="truth">The parameters to draw from.</param>
    /// <param name="customers">How many customers, at least 1.</param>
    /// <param name="periods">The opportunities, at least 1.</param>
    /// <param name="seed">The seed: the same seed gives the same histories.</param>
    /// <returns>The histories.</returns>
    public static DiscretePurchaseHistory[] Simulate(BgBbModel truth, int customers, int periods, int seed)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentOutOfRangeException.ThrowIfLessThan(customers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(periods, 1);
        var random = new Random(seed);
        var result = new DiscretePurchaseHistory[customers];
        for (var i = 0; i < customers; i++)
        {
            var p = Beta.Sample(random, truth.Alpha, truth.Beta);
            var theta = Beta.Sample(random, truth.Gamma, truth.Delta);
            var (x, last) = (0, 0);
            for (var t = 1; t <= periods && random.NextDouble() >= theta; t++)
            {
                if (random.NextDouble() < p)
                {
                    (x, last) = (x + 1, t);
                }
            }

            result[i] = new DiscretePurchaseHistory(x, last, periods);
        }

        return result;
    }
}
