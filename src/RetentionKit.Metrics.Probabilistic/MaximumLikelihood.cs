using System;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>The maximum-likelihood fit every model of positive parameters shares: BFGS on the log-parameters.</summary>
internal static class MaximumLikelihood
{
    /// <summary>
    /// Maximises a log-likelihood of positive parameters. The objective is the negative log-likelihood per customer in
    /// log-parameters (∂/∂ln θ = θ ∂/∂θ): per customer, so that the gradient is of order one whatever the size of the
    /// base — the line search's first step (along the raw gradient) stays near the start instead of leaping to a far,
    /// flat region where log-gamma differences of huge arguments are all rounding — and one stopping tolerance fits
    /// every size. Log-parameters are held to ±25 so that a long trial step stays finite.
    /// </summary>
    /// <param name="model">The model's name, for messages.</param>
    /// <param name="names">The parameters' names, for messages.</param>
    /// <param name="logLikelihood">The log-likelihood at θ, writing its gradient in θ into the span.</param>
    /// <param name="customers">The number (total weight) of customers.</param>
    /// <param name="start">The starting log-parameters.</param>
    /// <param name="maxIterations">The optimiser's iteration limit.</param>
    /// <returns>The parameters and the fit's report.</returns>
    /// <exception cref="ModelFitException">The optimiser failed, or stopped away from a maximum, or a parameter ran to 0 or infinity.</exception>
    public static (double[] Theta, FitReport Report) Fit(string model, string[] names, Func<double[], double[], double> logLikelihood, double customers, double[] start, int maxIterations)
    {
        var n = start.Length;
        var scale = 1 / customers;
        (double, Vector<double>) Objective(Vector<double> p)
        {
            var theta = new double[n];
            for (var j = 0; j < n; j++)
            {
                theta[j] = Math.Exp(Math.Clamp(p[j], -25, 25));
            }

            var g = new double[n];
            var ll = logLikelihood(theta, g);
            var gradient = Vector<double>.Build.Dense(n);
            for (var j = 0; j < n; j++)
            {
                gradient[j] = -g[j] * theta[j] * scale;
            }

            return (-ll * scale, gradient);
        }

        MinimizationResult result;
        try
        {
            result = new BfgsMinimizer(1e-9, 1e-14, 1e-15, maxIterations).FindMinimum(ObjectiveFunction.Gradient(Objective), Vector<double>.Build.Dense(start));
        }
        catch (MaximumIterationsException e)
        {
            throw new ModelFitException($"The {model} fit did not converge in {maxIterations} iterations.", e);
        }
        catch (InnerOptimizationException e)
        {
            throw new ModelFitException($"The {model} fit failed: {e.InnerException?.Message ?? e.Message}", e);
        }

        var point = result.MinimizingPoint;
        var gradientNorm = Objective(point).Item2.L2Norm() / scale;
        var report = FitChecks.Stationary(model, result.Iterations, gradientNorm, -result.FunctionInfoAtMinimum.Value / scale, customers);
        var fitted = new double[n];
        for (var j = 0; j < n; j++)
        {
            fitted[j] = ModelParameter.FromLog(point[j], model, names[j]);
        }

        return (fitted, report);
    }
}
