using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using MathNet.Numerics;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>
/// The Pareto/NBD log-likelihood and its gradient in (r, α, s, β) over distinct weighted histories (Fader, Hardie &amp;
/// Lee 2005, "A note on implementing the Pareto/NBD model in MATLAB", equations (20)–(22)):
/// L = Γ(r+x) α^r β^s / Γ(r) · [1 / ((α+T)^(r+x) (β+T)^s) + s/(r+s+x) · A₀], where A₀ = G(t_x) − G(T) and
/// G(t) = 2F1(r+s+x, b; r+s+x+1; |α−β|/(ρ+t)) / (ρ+t)^(r+s+x), with (ρ, b) = (α, s+1) when α ≥ β and (β, r+x) otherwise.
/// </summary>
/// <remarks>
/// Everything is summed in logs (the powers underflow for a heavy buyer long gone), the two terms of the bracket by
/// log-sum-exp, A₀ as G(t_x)·(1 − G(T)/G(t_x)). The hypergeometric series has all terms positive and its ratio tends to
/// z &lt; 1 whatever x is, so it cannot overflow; its derivatives in a (with c = a + 1), b and z are summed in the same
/// pass. Terms that depend only on x are computed once per distinct x, and the rows are summed in fixed blocks over the
/// cores, added in order, so that the result does not depend on the number of cores.
/// </remarks>
internal sealed class ParetoNbdLikelihood
{
    private const int BlockSize = 2_048;
    private const int Terms = 5; // the log-likelihood and its four derivatives

    /// <summary>
    /// The most terms of one hypergeometric series: enough for α and β about 1,000 times apart (z = 1 − 1/1,000), far past
    /// any estimate seen in practice. Beyond that the fit is on its way to the boundary where s and β grow without end
    /// together (a dropout rate common to all customers), which the model reaches only in the limit.
    /// </summary>
    internal const int SeriesTerms = 50_000;
    private readonly double[] _x;
    private readonly double[] _tx;
    private readonly double[] _t;
    private readonly double[] _weights;
    private readonly int[] _xIndex;
    private readonly double[] _xs;
    private readonly int _blocks;

    public ParetoNbdLikelihood(PurchaseHistory[] histories, double[] weights)
    {
        var n = histories.Length;
        (_x, _tx, _t, _weights, _xIndex) = (new double[n], new double[n], new double[n], weights, new int[n]);
        var xSlots = new Dictionary<double, int>();
        double totalWeight = 0, weightedT = 0;
        for (var i = 0; i < n; i++)
        {
            var h = histories[i];
            (_x[i], _tx[i], _t[i]) = (h.Frequency, h.Recency, h.T);
            if (!xSlots.TryGetValue(h.Frequency, out var slot))
            {
                xSlots[h.Frequency] = slot = xSlots.Count;
            }

            _xIndex[i] = slot;
            totalWeight += weights[i];
            weightedT += weights[i] * h.T;
        }

        _xs = new double[xSlots.Count];
        foreach (var (x, slot) in xSlots)
        {
            _xs[slot] = x;
        }

        _blocks = (n + BlockSize - 1) / BlockSize;
        TotalWeight = totalWeight;
        MeanT = n == 0 ? 1 : weightedT / totalWeight;
    }

    /// <summary>Gets the total weight (the number of customers the histories stand for).</summary>
    public double TotalWeight { get; }

    /// <summary>Gets the weighted mean of T, for the optimiser's starting scales.</summary>
    public double MeanT { get; }

    /// <summary>The log-likelihood; with <paramref name="gradient"/>, also its derivatives in (r, α, s, β).</summary>
    public double LogLikelihood(double r, double alpha, double s, double beta, double[]? gradient)
    {
        // ln Γ(r+x) − ln Γ(r) + r ln α + s ln β, and its derivative in r, per distinct x.
        var front = new double[_xs.Length];
        var frontDr = new double[_xs.Length];
        var (lgR, psiR) = (SpecialFunctions.GammaLn(r), gradient is null ? 0 : SpecialFunctions.DiGamma(r));
        var (logAlpha, logBeta) = (Math.Log(alpha), Math.Log(beta));
        for (var k = 0; k < _xs.Length; k++)
        {
            front[k] = SpecialFunctions.GammaLn(r + _xs[k]) - lgR + (r * logAlpha) + (s * logBeta);
            frontDr[k] = gradient is null ? 0 : SpecialFunctions.DiGamma(r + _xs[k]) - psiR + logAlpha;
        }

        var partial = new double[_blocks * Terms];
        var p = new Parameters(r, alpha, s, beta, gradient is not null);

        // Every customer without a repeat purchase has t_x = 0, so G(t_x) is one value for all of them (the largest
        // group, and the slowest series when α and β are far apart): computed once.
        p = p with { NoRepeatG = G(p, 0, 0, p.Gradient) };
        if (_x.Length >= 4 * BlockSize && Environment.ProcessorCount > 1)
        {
            Parallel.For(0, _blocks, block => SumBlock(block, p, front, frontDr, partial));
        }
        else
        {
            for (var block = 0; block < _blocks; block++)
            {
                SumBlock(block, p, front, frontDr, partial);
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SumBlock(int block, Parameters p, double[] front, double[] frontDr, double[] partial)
    {
        Span<double> g = stackalloc double[4];
        double total = 0, gR = 0, gAlpha = 0, gS = 0, gBeta = 0;
        var to = Math.Min(_x.Length, (block + 1) * BlockSize);
        for (var i = block * BlockSize; i < to; i++)
        {
            var w = _weights[i];
            var k = _xIndex[i];
            total += w * (front[k] + Bracket(p, _x[i], _tx[i], _t[i], p.Gradient ? g : default));
            if (p.Gradient)
            {
                gR += w * (frontDr[k] + g[0]);
                gAlpha += w * ((p.R / p.Alpha) + g[1]);
                gS += w * (Math.Log(p.Beta) + g[2]);
                gBeta += w * ((p.S / p.Beta) + g[3]);
            }
        }

        var at = block * Terms;
        (partial[at], partial[at + 1], partial[at + 2], partial[at + 3], partial[at + 4]) = (total, gR, gAlpha, gS, gBeta);
    }

    /// <summary>
    /// ln[1 / ((α+T)^(r+x) (β+T)^s) + s/(r+s+x) · A₀] for one history; with a non-empty <paramref name="gradient"/>, its
    /// derivatives in (r, α, s, β).
    /// </summary>
    internal static double Bracket(Parameters p, double x, double tx, double t, Span<double> gradient)
    {
        var (r, alpha, s, beta) = (p.R, p.Alpha, p.S, p.Beta);
        var l1 = (-(r + x) * Math.Log(alpha + t)) - (s * Math.Log(beta + t));
        var a = r + s + x;
        var g1 = x == 0 && tx == 0 && p.NoRepeatG is { } known ? known : G(p, x, tx, !gradient.IsEmpty);
        var g2 = G(p, x, t, !gradient.IsEmpty);

        // ln A₀ = ln G(t_x) + ln(1 − G(T)/G(t_x)); A₀ = 0 when t_x = T (a purchase at the end of the watch).
        var q = Math.Exp(g2.Log - g1.Log);
        var l2 = q < 1 ? Math.Log(s) - Math.Log(a) + g1.Log + Math.Log(1 - q) : double.NegativeInfinity;
        var m = Math.Max(l1, l2);
        var log = m + Math.Log(Math.Exp(l1 - m) + Math.Exp(l2 - m));
        if (!gradient.IsEmpty)
        {
            var (w1, w2) = (Math.Exp(l1 - log), Math.Exp(l2 - log));
            gradient[0] = -w1 * Math.Log(alpha + t);
            gradient[1] = -w1 * (r + x) / (alpha + t);
            gradient[2] = -w1 * Math.Log(beta + t);
            gradient[3] = -w1 * s / (beta + t);
            if (w2 > 0)
            {
                // ∂ ln A₀ = (∂ ln G₁ − q ∂ ln G₂) / (1 − q); ∂ ln(s/a) = (−1/a, 0, 1/s − 1/a, 0).
                gradient[0] += w2 * ((-1 / a) + ((g1.Dr - (q * g2.Dr)) / (1 - q)));
                gradient[1] += w2 * ((g1.DAlpha - (q * g2.DAlpha)) / (1 - q));
                gradient[2] += w2 * ((1 / s) - (1 / a) + ((g1.Ds - (q * g2.Ds)) / (1 - q)));
                gradient[3] += w2 * ((g1.DBeta - (q * g2.DBeta)) / (1 - q));
            }
        }

        return log;
    }

    /// <summary>ln G(t) and, when asked, its derivatives in (r, α, s, β).</summary>
    private static (double Log, double Dr, double DAlpha, double Ds, double DBeta) G(Parameters p, double x, double t, bool derivatives)
    {
        var (r, alpha, s, beta) = (p.R, p.Alpha, p.S, p.Beta);
        var a = r + s + x;
        var alphaAbove = alpha >= beta;
        var rho = alphaAbove ? alpha : beta;
        var b = alphaAbove ? s + 1 : r + x;
        var z = Math.Abs(alpha - beta) / (rho + t);
        var w = (Math.Min(alpha, beta) + t) / (rho + t); // 1 − z without its cancellation
        var series = Hypergeometric.LogSeriesCPlusOne(a, b, z, w, derivatives, SeriesTerms);
        var logRho = Math.Log(rho + t);
        var log = series.Log - (a * logRho);
        if (!derivatives)
        {
            return (log, 0, 0, 0, 0);
        }

        // ∂ ln G = ∂ ln F (in a, b, z) − ∂a ln(ρ+t) − a ∂ρ/(ρ+t), with ∂a = (1, 0, 1, 0).
        var (fa, fb, fz) = (series.DA, series.DB, series.DZ);
        var commonA = fa - logRho;
        double dr, dAlpha, ds, dBeta;
        if (alphaAbove)
        {
            // ρ = α, b = s + 1, z = (α − β)/(α + t).
            dr = commonA;
            ds = commonA + fb;
            dAlpha = (fz * (beta + t) / ((alpha + t) * (alpha + t))) - (a / (alpha + t));
            dBeta = -fz / (alpha + t);
        }
        else
        {
            // ρ = β, b = r + x, z = (β − α)/(β + t).
            dr = commonA + fb;
            ds = commonA;
            dAlpha = -fz / (beta + t);
            dBeta = (fz * (alpha + t) / ((beta + t) * (beta + t))) - (a / (beta + t));
        }

        return (log, dr, dAlpha, ds, dBeta);
    }

    /// <summary>The parameters of one evaluation.</summary>
    internal readonly record struct Parameters(double R, double Alpha, double S, double Beta, bool Gradient)
    {
        /// <summary>Gets G(0) for x = 0 at these parameters, when computed once for the evaluation.</summary>
        public (double Log, double Dr, double DAlpha, double Ds, double DBeta)? NoRepeatG { get; init; }
    }
}
