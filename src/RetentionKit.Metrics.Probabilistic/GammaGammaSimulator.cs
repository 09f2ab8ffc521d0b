using System;
using System.Collections.Generic;
using MathNet.Numerics.Distributions;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>
/// Draws repeat customers' mean transaction values from a Gamma-Gamma process, to pair with
/// <see cref="BgNbdSimulator"/>: the monetary input of the CLV benchmarks and of tests that a fit recovers its parameters.
/// </summary>
public static class GammaGammaSimulator
{
    /// <summary>
    /// For each history with x ≥ 1 repeat purchases, draws the customer's ν from gamma(q, rate γ) and the mean of x
    /// transaction values each gamma(p, rate ν) — that is, z̄ from gamma(p x, rate ν x). Customers without repeat
    /// purchases get 0 (Gamma-Gamma ignores them).
    /// </summary>
    /// <param name="truth">The parameters to draw from.</param>
    /// <param name="histories">The purchase histories, whose frequencies give each x.</param>
    /// <param name="seed">The seed: the same seed and histories give the same values.</param>
    /// <returns>Each customer's mean repeat transaction value, in the order of <paramref name="histories"/>.</returns>
    /// <exception cref="ArgumentException">A history is invalid.</exception>
    public static double[] Simulate(GammaGammaModel truth, IReadOnlyList<PurchaseHistory> histories, int seed)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(histories);
        foreach (var h in histories)
        {
            h.Validate(nameof(histories));
        }

        var random = new Random(seed);
        var values = new double[histories.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var x = histories[i].Frequency;
            if (x > 0)
            {
                var nu = Gamma.Sample(random, truth.Q, truth.Gamma);
                values[i] = Gamma.Sample(random, truth.P * x, nu * x);
            }
        }

        return values;
    }
}
