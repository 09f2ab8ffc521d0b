using System;
using System.Collections.Generic;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>
/// The shifted-beta-geometric model of contract renewals (Fader &amp; Hardie 2007, "How to project customer
/// retention"): each customer renews each period with their own probability, which is beta(α, β) across customers.
/// </summary>
/// <param name="Alpha">α.</param>
/// <param name="Beta">β.</param>
public sealed record ShiftedBetaGeometricModel(double Alpha, double Beta)
{
    /// <summary>Gets α of the beta distribution of renewal probabilities; positive and finite.</summary>
    public double Alpha { get; init => field = ModelParameter.Positive(value, nameof(Alpha)); } = ModelParameter.Positive(Alpha, nameof(Alpha));

    /// <summary>Gets β of the beta distribution of renewal probabilities; positive and finite.</summary>
    public double Beta { get; init => field = ModelParameter.Positive(value, nameof(Beta)); } = ModelParameter.Positive(Beta, nameof(Beta));

    /// <summary>Gets how the fit that produced the model ended; null for known parameters.</summary>
    public FitReport? Fit { get; init; }

    /// <summary>Fits the model to the customers still active at the start of each period (period 0 first).</summary>
    /// <param name="survivors">Active customers per period, from the cohort's size at period 0; not increasing; at least three periods.</param>
    /// <returns>The model with its fit report.</returns>
    /// <exception cref="ArgumentException">Fewer than three periods, a negative count, or a count that grows.</exception>
    /// <exception cref="ModelFitException">The optimiser did not converge, or stopped where the gradient is not near zero (not a maximum).</exception>
    public static ShiftedBetaGeometricModel FitTo(IReadOnlyList<double> survivors)
    {
        ArgumentNullException.ThrowIfNull(survivors);
        if (survivors.Count < 3)
        {
            throw new ArgumentException($"Fitting two parameters needs at least three periods (two of renewals); there are {survivors.Count}.", nameof(survivors));
        }

        for (var i = 0; i < survivors.Count; i++)
        {
            if (!double.IsFinite(survivors[i]) || survivors[i] < 0 || (i > 0 && survivors[i] > survivors[i - 1]))
            {
                throw new ArgumentOutOfRangeException(nameof(survivors), survivors[i], $"Survivors must be finite, not negative, and never grow (period {i}).");
            }
        }

        double Objective(Vector<double> p) => -LogLikelihood(Math.Exp(Math.Clamp(p[0], -25, 25)), Math.Exp(Math.Clamp(p[1], -25, 25)), survivors);
        var objective = ObjectiveFunction.Gradient(p => (Objective(p), Numerics.Gradient(Objective, p)));
        MinimizationResult result;
        try
        {
            result = new BfgsMinimizer(1e-9, 1e-14, 1e-15, 500).FindMinimum(objective, Vector<double>.Build.Dense([0d, 0d]));
        }
        catch (MaximumIterationsException e)
        {
            throw new ModelFitException("The shifted-beta-geometric fit did not converge in 500 iterations.", e);
        }
        catch (InnerOptimizationException e)
        {
            throw new ModelFitException($"The shifted-beta-geometric fit failed: {e.InnerException?.Message ?? e.Message}", e);
        }

        var p = result.MinimizingPoint;
        var gradient = Numerics.Gradient(Objective, p).L2Norm();
        return new ShiftedBetaGeometricModel(ModelParameter.FromLog(p[0], "shifted-beta-geometric", "alpha"), ModelParameter.FromLog(p[1], "shifted-beta-geometric", "beta"))
        {
            Fit = FitChecks.Stationary("shifted-beta-geometric", result.Iterations, gradient, -result.FunctionInfoAtMinimum.Value, survivors[0]),
        };
    }

    /// <summary>P(T = t): the probability that a customer's last period is t (they churn at the start of t + 1); t ≥ 1.</summary>
    /// <param name="t">The period.</param>
    /// <returns>The probability.</returns>
    public double ChurnProbabilityAt(int t)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(t, 1);
        return Math.Exp(SpecialFunctions.BetaLn(Alpha + 1, Beta + t - 1) - SpecialFunctions.BetaLn(Alpha, Beta));
    }

    /// <summary>S(t): the share of the cohort still a customer after t renewals.</summary>
    /// <param name="t">The period, 0 or more.</param>
    /// <returns>The survival.</returns>
    public double Survival(int t)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(t);
        return Math.Exp(SpecialFunctions.BetaLn(Alpha, Beta + t) - SpecialFunctions.BetaLn(Alpha, Beta));
    }

    /// <summary>r(t) = S(t) / S(t − 1) = (β + t − 1)/(α + β + t − 1): the retention rate of period t; rises with t.</summary>
    /// <param name="t">The period, at least 1.</param>
    /// <returns>The retention rate.</returns>
    public double RetentionRate(int t)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(t, 1);
        return (Beta + t - 1) / (Alpha + Beta + t - 1);
    }

    /// <summary>
    /// The discounted expected residual lifetime (Fader &amp; Hardie 2010) of a customer who has just made their
    /// K-th renewal (so is at the start of period n = K + 1): Σ_{t ≥ n} S(t)/S(n − 1) / (1 + d)^(t − n), the upcoming
    /// renewal counted undiscounted.
    /// </summary>
    /// <param name="renewals">The renewals made, K (0 for a customer in their first period).</param>
    /// <param name="discountRate">The discount rate per period, d (positive).</param>
    /// <returns>DERL = (β + n − 1)/(α + β + n − 1) · 2F1(1, β + n; α + β + n; 1/(1 + d)).</returns>
    public double DiscountedExpectedResidualLifetime(int renewals, double discountRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(renewals);
        RetentionKit.Internal.Guard.FiniteNonNegative(discountRate);
        if (discountRate == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(discountRate), discountRate, "Without discounting the residual lifetime can be unbounded (α ≤ 1); give a positive discount rate.");
        }

        var n = renewals + 1;
        return (Beta + n - 1) / (Alpha + Beta + n - 1) * Hypergeometric.Series(1, Beta + n, Alpha + Beta + n, 1 / (1 + discountRate));
    }

    private static double LogLikelihood(double alpha, double beta, IReadOnlyList<double> survivors)
    {
        var logB = SpecialFunctions.BetaLn(alpha, beta);
        double ll = 0;
        for (var t = 1; t < survivors.Count; t++)
        {
            var churned = survivors[t - 1] - survivors[t];
            if (churned > 0)
            {
                ll += churned * (SpecialFunctions.BetaLn(alpha + 1, beta + t - 1) - logB);
            }
        }

        var last = survivors.Count - 1;
        return ll + (survivors[last] * (SpecialFunctions.BetaLn(alpha, beta + last) - logB));
    }
}

/// <summary>Numerical helpers shared by the fits.</summary>
internal static class Numerics
{
    /// <summary>The central-difference gradient.</summary>
    public static Vector<double> Gradient(Func<Vector<double>, double> f, Vector<double> p)
    {
        var g = Vector<double>.Build.Dense(p.Count);
        for (var i = 0; i < p.Count; i++)
        {
            var h = 1e-5 * Math.Max(1, Math.Abs(p[i]));
            var up = p.Clone();
            var down = p.Clone();
            up[i] += h;
            down[i] -= h;
            g[i] = (f(up) - f(down)) / (2 * h);
        }

        return g;
    }
}
