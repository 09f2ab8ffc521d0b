using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using MathNet.Numerics;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>
/// The BG/NBD log-likelihood over distinct weighted histories, laid out for speed: the log-gamma and digamma terms are
/// computed once per distinct x, ln(α + τ) and 1/(α + τ) once per distinct time τ (recencies and ages share one table,
/// and real logs have few distinct times: days), so each history costs one exponential and one logarithm. The sum runs
/// in fixed blocks over the cores and the blocks are added in order, so the result does not depend on the number of cores.
/// </summary>
internal sealed class BgNbdLikelihood
{
    private const int BlockSize = 4_096;
    private const int Terms = 5; // the log-likelihood and its four derivatives
    private readonly double[] _x;       // each history's frequency
    private readonly double[] _weights;
    private readonly int[] _xIndex;     // each history's index into _xs
    private readonly int[] _tIndex;     // each history's T, as an index into _times
    private readonly int[] _txIndex;    // each history's t_x, as an index into _times
    private readonly double[] _xs;      // the distinct frequencies
    private readonly double[] _times;   // the distinct times
    private readonly int _blocks;
    private readonly int _shift; // 1 for MBG/NBD: a dropout chance at the first purchase too

    /// <summary>The likelihood of BG/NBD or, with <paramref name="modified"/>, of MBG/NBD (Batislam, Denizel &amp; Filiztekin 2007).</summary>
    /// <remarks>
    /// MBG/NBD lets a customer leave after the first purchase as after every repeat one, so its likelihood is BG/NBD's
    /// with b + x − 1 read as b + x wherever the dropout draws appear (B(a, b + x + 1) and a/(b + x)), and the
    /// dropout term present for x = 0 as well.
    /// </remarks>
    public BgNbdLikelihood(PurchaseHistory[] histories, double[] weights, bool modified = false)
    {
        _shift = modified ? 1 : 0;
        var n = histories.Length;
        (_x, _weights, _xIndex, _tIndex, _txIndex) = (new double[n], weights, new int[n], new int[n], new int[n]);
        var xSlots = new Dictionary<double, int>();
        var timeSlots = new Dictionary<double, int>();
        double totalWeight = 0, weightedT = 0;
        for (var i = 0; i < n; i++)
        {
            var h = histories[i];
            _x[i] = h.Frequency;
            _xIndex[i] = Slot(xSlots, h.Frequency);
            _tIndex[i] = Slot(timeSlots, h.T);
            _txIndex[i] = Slot(timeSlots, h.Recency);
            totalWeight += weights[i];
            weightedT += weights[i] * h.T;
        }

        (_xs, _times) = (Keys(xSlots), Keys(timeSlots));
        _blocks = (n + BlockSize - 1) / BlockSize;
        TotalWeight = totalWeight;
        MeanT = n == 0 ? 1 : weightedT / totalWeight;
    }

    /// <summary>Gets the total weight (the number of customers the histories stand for).</summary>
    public double TotalWeight { get; }

    /// <summary>Gets the weighted mean of T, for the optimiser's starting α.</summary>
    public double MeanT { get; }

    public double LogLikelihood(double r, double alpha, double a, double b) => LogLikelihood(r, alpha, a, b, null);

    /// <summary>The log-likelihood; with <paramref name="gradient"/>, also its derivatives in (r, α, a, b).</summary>
    public double LogLikelihood(double r, double alpha, double a, double b, double[]? gradient)
    {
        var perX = new PerX(_xs.Length);
        var logAlpha = Math.Log(alpha);
        var (lgR, lgAb, lgB) = (SpecialFunctions.GammaLn(r), SpecialFunctions.GammaLn(a + b), SpecialFunctions.GammaLn(b));
        var (psiR, psiAb, psiB) = gradient is null ? (0d, 0d, 0d) : (SpecialFunctions.DiGamma(r), SpecialFunctions.DiGamma(a + b), SpecialFunctions.DiGamma(b));
        for (var k = 0; k < _xs.Length; k++)
        {
            var x = _xs[k];
            var xs = x + _shift;
            perX.Front[k] = SpecialFunctions.GammaLn(r + x) - lgR + (r * logAlpha) + lgAb + SpecialFunctions.GammaLn(b + xs) - lgB - SpecialFunctions.GammaLn(a + b + xs);
            perX.LogA4[k] = xs > 0 ? Math.Log(a) - Math.Log(b + xs - 1) : double.NegativeInfinity;
            if (gradient is not null)
            {
                var psiAbx = SpecialFunctions.DiGamma(a + b + xs);
                perX.Dr[k] = SpecialFunctions.DiGamma(r + x) - psiR + logAlpha;
                perX.Da[k] = psiAb - psiAbx;
                perX.Db[k] = psiAb + SpecialFunctions.DiGamma(b + xs) - psiB - psiAbx;
            }
        }

        var (logAt, inverseAt) = (new double[_times.Length], new double[_times.Length]);
        for (var k = 0; k < _times.Length; k++)
        {
            logAt[k] = Math.Log(alpha + _times[k]);
            inverseAt[k] = 1 / (alpha + _times[k]);
        }

        var partial = new double[_blocks * Terms];
        var parameters = (r, alpha, a, b, gradient is not null);
        if (_x.Length >= 4 * BlockSize && Environment.ProcessorCount > 1)
        {
            Parallel.For(0, _blocks, block => SumBlock(block, parameters, perX, logAt, inverseAt, partial));
        }
        else
        {
            for (var block = 0; block < _blocks; block++)
            {
                SumBlock(block, parameters, perX, logAt, inverseAt, partial);
            }
        }

        Span<double> sums = stackalloc double[Terms];
        for (var block = 0; block < _blocks; block++)
        {
            for (var j = 0; j < Terms; j++)
            {
                sums[j] += partial[(block * Terms) + j];
            }
        }

        if (gradient is not null)
        {
            (gradient[0], gradient[1], gradient[2], gradient[3]) = (sums[1], sums[2], sums[3], sums[4]);
        }

        return sums[0];
    }

    /// <summary>One block's share of the log-likelihood and its gradient; optimised from the first call (a fit calls it a few dozen times).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SumBlock(int block, (double R, double Alpha, double A, double B, bool Gradient) p, PerX perX, double[] logAt, double[] inverseAt, double[] partial)
    {
        var (r, alpha, a) = (p.R, p.Alpha, p.A);
        double total = 0, gR = 0, gAlpha = 0, gA = 0, gB = 0;
        var to = Math.Min(_x.Length, (block + 1) * BlockSize);
        for (var i = block * BlockSize; i < to; i++)
        {
            var (x, k, w) = (_x[i], _xIndex[i], _weights[i]);
            var (ti, rx) = (_tIndex[i], p.R + x);
            var a3 = -rx * logAt[ti];
            if (x == 0 && _shift == 0)
            {
                total += w * (perX.Front[k] + a3);
                if (p.Gradient)
                {
                    gR += w * (perX.Dr[k] - logAt[ti]);
                    gAlpha += w * ((r / alpha) - (rx * inverseAt[ti]));
                    gA += w * perX.Da[k];
                    gB += w * perX.Db[k];
                }

                continue;
            }

            // ln(e^A3 + e^A4) = max + ln(1 + e^−|A3 − A4|): one exponential, one logarithm.
            var txi = _txIndex[i];
            var a4 = perX.LogA4[k] - (rx * logAt[txi]);
            var e = Math.Exp(-Math.Abs(a4 - a3));
            total += w * (perX.Front[k] + Math.Max(a3, a4) + Math.Log(1 + e));
            if (p.Gradient)
            {
                var w4 = a4 >= a3 ? 1 / (1 + e) : e / (1 + e);
                var w3 = 1 - w4;
                gR += w * (perX.Dr[k] - (w3 * logAt[ti]) - (w4 * logAt[txi]));
                gAlpha += w * ((r / alpha) - (rx * ((w3 * inverseAt[ti]) + (w4 * inverseAt[txi]))));
                gA += w * (perX.Da[k] + (w4 / a));
                gB += w * (perX.Db[k] - (w4 / (p.B + x + _shift - 1)));
            }
        }

        var at = block * Terms;
        (partial[at], partial[at + 1], partial[at + 2], partial[at + 3], partial[at + 4]) = (total, gR, gAlpha, gA, gB);
    }

    private static int Slot(Dictionary<double, int> slots, double value)
    {
        if (!slots.TryGetValue(value, out var slot))
        {
            slot = slots.Count;
            slots[value] = slot;
        }

        return slot;
    }

    private static double[] Keys(Dictionary<double, int> slots)
    {
        var keys = new double[slots.Count];
        foreach (var (value, slot) in slots)
        {
            keys[slot] = value;
        }

        return keys;
    }

    /// <summary>The terms shared by every history with the same x.</summary>
    private sealed class PerX(int count)
    {
        public double[] Front { get; } = new double[count];   // A1 + A2

        public double[] LogA4 { get; } = new double[count];   // ln a − ln(b + x − 1)

        public double[] Dr { get; } = new double[count];      // ψ(r+x) − ψ(r) + ln α

        public double[] Da { get; } = new double[count];      // ψ(a+b) − ψ(a+b+x)

        public double[] Db { get; } = new double[count];      // ψ(a+b) + ψ(b+x) − ψ(b) − ψ(a+b+x)
    }
}
