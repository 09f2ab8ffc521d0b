using System;
using System.Collections.Generic;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

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
    /// <summary>Gets how the fit that produced the model ended; null for known parameters.</summary>
    public FitReport? Fit { get; init; }

    /// <summary>Fits the model by maximum likelihood on repeat customers.</summary>
    /// <param name="customers">Repeat customers (x ≥ 1, z̄ &gt; 0); at least three.</param>
    /// <returns>The model with its fit report.</returns>
    /// <exception cref="ArgumentException">Fewer than three customers, or one without repeat purchases or with a non-positive mean.</exception>
    /// <exception cref="ModelFitException">The optimiser did not converge.</exception>
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

        // The negative log-likelihood and its analytic gradient in log-parameters; log-parameters are held to ±25 so
        // that a long trial step of the line search stays finite.
        var data = customers as SpendHistory[] ?? [.. customers];
        (double, Vector<double>) Objective(Vector<double> v)
        {
            var (p, q, g) = (Math.Exp(Math.Clamp(v[0], -25, 25)), Math.Exp(Math.Clamp(v[1], -25, 25)), Math.Exp(Math.Clamp(v[2], -25, 25)));
            var (ll, dp, dq, dg) = LogLikelihoodAndGradient(p, q, g, data);
            return (-ll, Vector<double>.Build.Dense([-dp * p, -dq * q, -dg * g]));
        }

        var objective = ObjectiveFunction.Gradient(Objective);
        MinimizationResult result;
        try
        {
            result = new BfgsMinimizer(1e-9, 1e-14, 1e-15, 1000).FindMinimum(objective, Vector<double>.Build.Dense([0d, 0d, 0d]));
        }
        catch (MaximumIterationsException e)
        {
            throw new ModelFitException("The Gamma-Gamma fit did not converge in 1,000 iterations.", e);
        }
        catch (InnerOptimizationException e)
        {
            throw new ModelFitException($"The Gamma-Gamma fit failed: {e.InnerException?.Message ?? e.Message}", e);
        }

        var p = result.MinimizingPoint;
        return new GammaGammaModel(Math.Exp(p[0]), Math.Exp(p[1]), Math.Exp(p[2]))
        {
            Fit = new FitReport(result.Iterations, Objective(p).Item2.L2Norm(), -result.FunctionInfoAtMinimum.Value, true),
        };
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

        return LogLikelihoodAndGradient(P, Q, Gamma, customers as SpendHistory[] ?? [.. customers]).LogLikelihood;
    }

    /// <summary>The log-likelihood and its derivatives in (p, q, γ); the gamma and digamma terms are shared by every customer with the same x.</summary>
    private static (double LogLikelihood, double Dp, double Dq, double Dgamma) LogLikelihoodAndGradient(double p, double q, double gamma, SpendHistory[] customers)
    {
        var shared = new Dictionary<double, (double Front, double PsiPxq, double PsiPx, double LogX)>();
        var (logGammaQ, psiQ, logG) = (SpecialFunctions.GammaLn(q), SpecialFunctions.DiGamma(q), Math.Log(gamma));
        double ll = 0, dp = 0, dq = 0, dg = 0;
        foreach (var c in customers)
        {
            var (x, z) = (c.Frequency, c.MeanValue);
            var px = p * x;
            if (!shared.TryGetValue(x, out var s))
            {
                var logX = Math.Log(x);
                s = (SpecialFunctions.GammaLn(px + q) - SpecialFunctions.GammaLn(px) - logGammaQ + (q * logG) + (px * logX), SpecialFunctions.DiGamma(px + q), SpecialFunctions.DiGamma(px), logX);
                shared[x] = s;
            }

            var logZ = Math.Log(z);
            var logDen = Math.Log(gamma + (x * z));
            ll += s.Front + ((px - 1) * logZ) - ((px + q) * logDen);
            dp += x * (s.PsiPxq - s.PsiPx + logZ + s.LogX - logDen);
            dq += s.PsiPxq - psiQ + logG - logDen;
            dg += (q / gamma) - ((px + q) / (gamma + (x * z)));
        }

        return (ll, dp, dq, dg);
    }
}
