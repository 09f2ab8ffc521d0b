using System;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>What every maximum-likelihood fit checks before it calls its parameters an estimate.</summary>
internal static class FitChecks
{
    /// <summary>The largest gradient norm per customer (in log-parameters) accepted at a maximum.</summary>
    public const double MaxGradientPerCustomer = 1e-2;

    /// <summary>
    /// The report of a fit the optimiser stopped: converged only when the log-likelihood is finite and its gradient
    /// (the norm over the log-parameters, summed over customers) is near zero for a data set of this size. An
    /// optimiser may stop on a step or function-change tolerance far from a maximum (a flat region, a parameter
    /// running away), and those parameters are not an estimate.
    /// </summary>
    /// <param name="model">The model's name, for the message.</param>
    /// <param name="iterations">The optimiser's iterations.</param>
    /// <param name="gradientNorm">The gradient's norm at the end.</param>
    /// <param name="logLikelihood">The log-likelihood at the end.</param>
    /// <param name="customers">The number (total weight) of customers the likelihood sums over.</param>
    /// <returns>The report, with <see cref="FitReport.Converged"/> true.</returns>
    /// <exception cref="ModelFitException">The end is not a maximum.</exception>
    public static FitReport Stationary(string model, int iterations, double gradientNorm, double logLikelihood, double customers)
    {
        if (!double.IsFinite(logLikelihood) || !double.IsFinite(gradientNorm) || gradientNorm > MaxGradientPerCustomer * Math.Max(1, customers))
        {
            throw new ModelFitException($"The {model} fit stopped after {iterations} iterations with a gradient norm of {gradientNorm:G3} (log-likelihood {logLikelihood:G6}): not a maximum.");
        }

        return new FitReport(iterations, gradientNorm, logLikelihood, true);
    }
}
