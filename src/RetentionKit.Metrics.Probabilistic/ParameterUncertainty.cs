using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using MathNet.Numerics.Distributions;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>
/// How well a fit pins its parameters down: the covariance of the log-parameters from the observed information (the
/// inverse of the negative log-likelihood's Hessian at the optimum), standard errors, and confidence intervals for the
/// parameters and for any prediction made from them.
/// </summary>
/// <remarks>
/// Intervals are taken on the log scale and mapped back (θ · e^(±z·se(ln θ))): the parameters and the predictions are
/// positive, their sampling distributions skewed, and a symmetric interval on the natural scale could cross zero. A
/// prediction's interval is the delta method on the log of the prediction, its gradient in the log-parameters taken by
/// central differences. This is the asymptotic answer; a bootstrap would cost a refit per draw, and the tests check the
/// coverage of these intervals on simulated data instead.
/// </remarks>
public sealed class ParameterUncertainty
{
    private readonly double[] _logCovariance; // row-major, n × n

    internal ParameterUncertainty(string[] names, double[] estimates, double[] logCovariance)
    {
        Names = [.. names];
        Estimates = [.. estimates];
        _logCovariance = logCovariance;
        var errors = new double[names.Length];
        for (var j = 0; j < errors.Length; j++)
        {
            errors[j] = estimates[j] * Math.Sqrt(logCovariance[(j * names.Length) + j]);
        }

        StandardErrors = [.. errors];
    }

    /// <summary>Gets the parameters' names, in the model's order.</summary>
    public ImmutableArray<string> Names { get; }

    /// <summary>Gets the estimates, in the same order.</summary>
    public ImmutableArray<double> Estimates { get; }

    /// <summary>Gets the standard errors of the estimates (θ · se(ln θ), the delta method), in the same order.</summary>
    public ImmutableArray<double> StandardErrors { get; }

    /// <summary>The covariance of two log-parameters.</summary>
    /// <param name="i">The first parameter's index.</param>
    /// <param name="j">The second parameter's index.</param>
    /// <returns>cov(ln θᵢ, ln θⱼ).</returns>
    public double LogCovariance(int i, int j)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(i);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(i, Names.Length);
        ArgumentOutOfRangeException.ThrowIfNegative(j);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(j, Names.Length);
        return _logCovariance[(i * Names.Length) + j];
    }

    /// <summary>The confidence interval of one parameter, on the log scale mapped back.</summary>
    /// <param name="parameter">The parameter's index.</param>
    /// <param name="level">The confidence level, in (0, 1); 0.9 by default.</param>
    /// <returns>The bounds.</returns>
    public (double Lower, double Upper) Interval(int parameter, double level = 0.9)
    {
        var z = Quantile(level);
        var se = Math.Sqrt(LogCovariance(parameter, parameter));
        return (Estimates[parameter] * Math.Exp(-z * se), Estimates[parameter] * Math.Exp(z * se));
    }

    /// <summary>
    /// The confidence interval of a positive quantity computed from the parameters (an expected number of purchases, a
    /// value), by the delta method on its logarithm.
    /// </summary>
    /// <param name="quantity">The quantity as a function of the parameters (in <see cref="Names"/> order); positive at the estimates.</param>
    /// <param name="level">The confidence level, in (0, 1); 0.9 by default.</param>
    /// <returns>The quantity at the estimates and its bounds.</returns>
    /// <exception cref="ArgumentException">The quantity is not positive and finite at the estimates.</exception>
    public (double Estimate, double Lower, double Upper) Interval(Func<IReadOnlyList<double>, double> quantity, double level = 0.9)
    {
        ArgumentNullException.ThrowIfNull(quantity);
        var z = Quantile(level);
        var n = Names.Length;
        var at = quantity(Estimates);
        if (!double.IsFinite(at) || at <= 0)
        {
            throw new ArgumentException($"The quantity is {at} at the estimates; the interval is for a positive, finite quantity.", nameof(quantity));
        }

        // ∂ ln q / ∂ ln θⱼ by central differences in the log-parameters.
        var gradient = new double[n];
        for (var j = 0; j < n; j++)
        {
            const double Step = 1e-5;
            var up = new double[n];
            var down = new double[n];
            for (var k = 0; k < n; k++)
            {
                (up[k], down[k]) = (Estimates[k], Estimates[k]);
            }

            up[j] *= Math.Exp(Step);
            down[j] *= Math.Exp(-Step);
            gradient[j] = (Math.Log(quantity(up)) - Math.Log(quantity(down))) / (2 * Step);
        }

        double variance = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                variance += gradient[i] * _logCovariance[(i * n) + j] * gradient[j];
            }
        }

        var se = Math.Sqrt(Math.Max(0, variance));
        return (at, at * Math.Exp(-z * se), at * Math.Exp(z * se));
    }

    private static double Quantile(double level)
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must be between 0 and 1 (0.9 for a 90 % interval).");
        }

        return Normal.InvCDF(0, 1, 0.5 + (level / 2));
    }
}
