using System;
using MathNet.Numerics.Distributions;

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
}
