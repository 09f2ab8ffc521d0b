using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using MathNet.Numerics;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>A repeat customer's spending: the number of repeat transactions and their mean value.</summary>
/// <param name="Frequency">The repeat transactions, x (at least 1).</param>
/// <param name="MeanValue">Their mean value, z̄ (positive).</param>
public readonly record struct SpendHistory(double Frequency, double MeanValue);

/// <summary>
/// The Gamma-Gamma model of monetary value (Fader, Hardie &amp; Lee 2005; Fader &amp; Hardie 2013): a customer's
/// transaction values are gamma(p, ν) around their own mean, and ν is gamma(q, γ) across customers. It assumes spend
/// and purchase frequency are independent.
/// </summary>
/// <param name="P">p.</param>
/// <param name="Q">q.</param>
/// <param name="Gamma">γ.</param>
public sealed record GammaGammaModel(double P, double Q, double Gamma)
{
    /// <summary>Gets p, the gamma shape of a customer's spend per transaction; positive and finite.</summary>
    public double P { get; init => field = ModelParameter.Positive(value, nameof(P)); } = ModelParameter.Positive(P, nameof(P));

    /// <summary>Gets q, the gamma shape of the spend's scale across customers; positive and finite.</summary>
    public double Q { get; init => field = ModelParameter.Positive(value, nameof(Q)); } = ModelParameter.Positive(Q, nameof(Q));

    /// <summary>Gets γ, the gamma scale of the spend's scale across customers; positive and finite.</summary>
    public double Gamma { get; init => field = ModelParameter.Positive(value, nameof(Gamma)); } = ModelParameter.Positive(Gamma, nameof(Gamma));

    /// <summary>Gets how the fit that produced the model ended; null for known parameters.</summary>
    public FitReport? Fit { get; init; }

    /// <summary>Fits the model by maximum likelihood on repeat customers.</summary>
    /// <param name="customers">Repeat customers (x ≥ 1, z̄ &gt; 0); at least three.</param>
    /// <returns>The model with its fit report.</returns>
    /// <exception cref="ArgumentException">Fewer than three customers, or one without repeat purchases or with a non-positive mean.</exception>
    /// <exception cref="ModelFitException">The optimiser did not converge, or stopped where the gradient is not near zero (not a maximum).</exception>
    public static GammaGammaModel FitTo(IReadOnlyList<SpendHistory> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        if (customers.Count < 3)
        {
            throw new ArgumentException($"Fitting three parameters needs at least three repeat customers; there are {customers.Count}.", nameof(customers));
        }

        foreach (var c in customers)
        {
            Validate(c, nameof(customers));
        }

        var data = new SpendData(customers);
        var (theta, fit) = MaximumLikelihood.Fit(
            "Gamma-Gamma",
            ["p", "q", "gamma"],
            (v, g) =>
            {
                var (ll, dp, dq, dg) = data.LogLikelihoodAndGradient(v[0], v[1], v[2]);
                (g[0], g[1], g[2]) = (dp, dq, dg);
                return ll;
            },
            customers.Count,
            [0d, 0d, 0d],
            1_000);
        return new GammaGammaModel(theta[0], theta[1], theta[2]) { Fit = fit };
    }

    /// <summary>E[M | x, z̄]: the expected mean transaction value of a customer, a weighted mean of the population mean and their own.</summary>
    /// <param name="customer">The customer's spend; a customer without repeat purchases gets the population mean.</param>
    /// <returns>(γ + x z̄) p / (p x + q − 1).</returns>
    public double ConditionalExpectedValue(SpendHistory customer)
    {
        if (customer.Frequency == 0)
        {
            return PopulationMean;
        }

        Validate(customer, nameof(customer));
        var (x, z) = (customer.Frequency, customer.MeanValue);
        return (Gamma + (x * z)) * P / ((P * x) + Q - 1);
    }

    /// <summary>Gets the population mean transaction value, γ p / (q − 1) (infinite when q ≤ 1).</summary>
    public double PopulationMean => Q > 1 ? Gamma * P / (Q - 1) : double.PositiveInfinity;

    private static void Validate(SpendHistory c, string name)
    {
        if (!double.IsFinite(c.Frequency) || c.Frequency < 1 || c.Frequency != Math.Floor(c.Frequency))
        {
            throw new ArgumentOutOfRangeException(name, c.Frequency, "Gamma-Gamma reads repeat customers: the frequency must be a whole number, at least 1.");
        }

        if (!double.IsFinite(c.MeanValue) || c.MeanValue <= 0)
        {
            throw new ArgumentOutOfRangeException(name, c.MeanValue, "The mean transaction value must be positive.");
        }
    }

    /// <summary>The log-likelihood of repeat customers' spend under the model.</summary>
    /// <param name="customers">Repeat customers.</param>
    /// <returns>The log-likelihood (summed, no constant dropped).</returns>
    public double LogLikelihood(IReadOnlyList<SpendHistory> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        foreach (var c in customers)
        {
            Validate(c, nameof(customers));
        }

        return new SpendData(customers).LogLikelihoodAndGradient(P, Q, Gamma).LogLikelihood;
    }

    /// <summary>
    /// Repeat customers grouped by x, held as the products x z̄ in one array (group g covers
    /// [<c>_start[g]</c>, <c>_start[g + 1]</c>)), with each group's count and Σ ln z̄. Only ln(γ + x z̄) and 1/(γ + x z̄)
    /// depend on the parameters per customer; everything else is per group. The sums run vectorised, in fixed blocks
    /// spread over the cores and added in block order, so a fit gives the same result on any number of cores.
    /// </summary>
    private sealed class SpendData
    {
        private const int BlockSize = 8_192;
        private readonly double[] _xs;
        private readonly double[] _counts;
        private readonly double[] _sumLogZ;
        private readonly int[] _start;
        private readonly double[] _xz;
        private readonly (int Group, int From, int To)[] _blocks;
        private readonly double[] _blockLog;
        private readonly double[] _blockInverse;

        public SpendData(IReadOnlyList<SpendHistory> customers)
        {
            var slots = new Dictionary<double, int>();
            var slotOf = new int[customers.Count];
            var counts = new List<int>();
            for (var i = 0; i < customers.Count; i++)
            {
                if (!slots.TryGetValue(customers[i].Frequency, out var s))
                {
                    s = slots.Count;
                    slots[customers[i].Frequency] = s;
                    counts.Add(0);
                }

                slotOf[i] = s;
                counts[s]++;
            }

            var groups = slots.Count;
            (_xs, _counts, _sumLogZ, _start) = (new double[groups], new double[groups], new double[groups], new int[groups + 1]);
            foreach (var (x, s) in slots)
            {
                _xs[s] = x;
                _counts[s] = counts[s];
            }

            for (var g = 0; g < groups; g++)
            {
                _start[g + 1] = _start[g] + counts[g];
            }

            _xz = new double[customers.Count];
            var next = _start[..groups];
            for (var i = 0; i < customers.Count; i++)
            {
                var (s, c) = (slotOf[i], customers[i]);
                _xz[next[s]++] = c.Frequency * c.MeanValue;
                _sumLogZ[s] += Math.Log(c.MeanValue);
            }

            var blocks = new List<(int, int, int)>();
            for (var g = 0; g < groups; g++)
            {
                for (var from = _start[g]; from < _start[g + 1]; from += BlockSize)
                {
                    blocks.Add((g, from, Math.Min(from + BlockSize, _start[g + 1])));
                }
            }

            _blocks = [.. blocks];
            (_blockLog, _blockInverse) = (new double[_blocks.Length], new double[_blocks.Length]);
        }

        /// <summary>The log-likelihood and its derivatives in (p, q, γ). Not thread-safe: one evaluation at a time.</summary>
        public (double LogLikelihood, double Dp, double Dq, double Dgamma) LogLikelihoodAndGradient(double p, double q, double gamma)
        {
            if (_xz.Length >= 4 * BlockSize && Environment.ProcessorCount > 1)
            {
                System.Threading.Tasks.Parallel.For(0, _blocks.Length, b => SumBlock(b, gamma));
            }
            else
            {
                for (var b = 0; b < _blocks.Length; b++)
                {
                    SumBlock(b, gamma);
                }
            }

            Span<double> sumLog = _xs.Length <= 512 ? stackalloc double[_xs.Length] : new double[_xs.Length];
            Span<double> sumInverse = _xs.Length <= 512 ? stackalloc double[_xs.Length] : new double[_xs.Length];
            sumLog.Clear();
            sumInverse.Clear();
            for (var b = 0; b < _blocks.Length; b++)
            {
                sumLog[_blocks[b].Group] += _blockLog[b];
                sumInverse[_blocks[b].Group] += _blockInverse[b];
            }

            var (logGammaQ, psiQ, logG) = (SpecialFunctions.GammaLn(q), SpecialFunctions.DiGamma(q), Math.Log(gamma));
            double ll = 0, dp = 0, dq = 0, dg = 0;
            for (var g = 0; g < _xs.Length; g++)
            {
                // Per customer: ln f = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + px ln x + (px − 1) ln z̄ − (px + q) ln(γ + x z̄).
                var (x, n, logZ, logDen) = (_xs[g], _counts[g], _sumLogZ[g], sumLog[g]);
                var px = p * x;
                var (psiPxq, logX) = (SpecialFunctions.DiGamma(px + q), Math.Log(x));
                ll += (n * (SpecialFunctions.GammaLn(px + q) - SpecialFunctions.GammaLn(px) - logGammaQ + (q * logG) + (px * logX))) + ((px - 1) * logZ) - ((px + q) * logDen);
                dp += x * ((n * (psiPxq - SpecialFunctions.DiGamma(px) + logX)) + logZ - logDen);
                dq += (n * (psiPxq - psiQ + logG)) - logDen;
                dg += (n * q / gamma) - ((px + q) * sumInverse[g]);
            }

            return (ll, dp, dq, dg);
        }

        /// <summary>Σ ln(γ + x z̄) and Σ 1/(γ + x z̄) over one block, four lanes at a time; optimised from the first call (a fit calls it only a few dozen times per block).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void SumBlock(int block, double gamma)
        {
            var (_, from, to) = _blocks[block];
            var values = _xz.AsSpan(from, to - from);
            var i = 0;
            double sumLog = 0, sumInverse = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var (g, logs, inverses) = (Vector256.Create(gamma), Vector256<double>.Zero, Vector256<double>.Zero);
                for (; i + 4 <= values.Length; i += 4)
                {
                    var d = Vector256.Create(values.Slice(i, 4)) + g;
                    logs += Vector256.Log(d);
                    inverses += Vector256<double>.One / d;
                }

                (sumLog, sumInverse) = (Vector256.Sum(logs), Vector256.Sum(inverses));
            }

            for (; i < values.Length; i++)
            {
                var d = gamma + values[i];
                sumLog += Math.Log(d);
                sumInverse += 1 / d;
            }

            (_blockLog[block], _blockInverse[block]) = (sumLog, sumInverse);
        }
    }
}
