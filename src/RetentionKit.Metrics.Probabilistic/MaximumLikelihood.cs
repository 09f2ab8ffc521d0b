using System;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>The maximum-likelihood fit every model of positive parameters shares: BFGS on the log-parameters.</summary>
internal static class MaximumLikelihood
{
    /// <summary>How far the log-parameters may go (e^±25): a long trial step of the line search stays finite.</summary>
    private const double LogBound = 25;

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
    /// <param name="penalizer">The weight λ of an L2 penalty on the log-parameters, λ Σ (ln θ)², added to the per-customer objective (as `lifetimes` does); 0 for none.</param>
    /// <returns>The parameters and the fit's report, with the parameters' uncertainty when the information matrix is positive definite.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The penalizer is negative or not finite, or the iteration limit below 1.</exception>
    /// <exception cref="ModelFitException">The optimiser failed, or stopped away from a maximum, or a parameter ran to 0 or infinity.</exception>
    /// <param name="uncertainty">Whether to compute the parameters' uncertainty (the benchmarks time a fit without it).</param>
    public static (double[] Theta, FitReport Report) Fit(string model, string[] names, Func<double[], double[], double> logLikelihood, double customers, double[] start, int maxIterations, double penalizer = 0, bool uncertainty = true)
    {
        if (!double.IsFinite(penalizer) || penalizer < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(penalizer), penalizer, "The penalizer must be 0 (none) or positive and finite.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        var n = start.Length;
        var scale = 1 / customers;
        (double, Vector<double>) Objective(Vector<double> p)
        {
            var theta = new double[n];
            for (var j = 0; j < n; j++)
            {
                theta[j] = Math.Exp(Math.Clamp(p[j], -LogBound, LogBound));
            }

            var g = new double[n];
            var ll = logLikelihood(theta, g);
            var gradient = Vector<double>.Build.Dense(n);
            var penalty = 0d;
            for (var j = 0; j < n; j++)
            {
                gradient[j] = (-g[j] * theta[j] * scale) + (2 * penalizer * p[j]);
                penalty += penalizer * p[j] * p[j];
            }

            return ((-ll * scale) + penalty, gradient);
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
        for (var j = 0; j < n; j++)
        {
            // At the clamp a parameter has run off toward 0 or infinity over a flat likelihood (no repeat purchase at
            // all, say): the gradient there is near zero, but the point is not an estimate.
            if (Math.Abs(point[j]) >= LogBound - 1e-6)
            {
                throw new ModelFitException($"The {model} fit diverged: {names[j]} ran to {Math.Exp(point[j]).ToString("G3", System.Globalization.CultureInfo.InvariantCulture)}; the data do not identify the model (too few customers, or no repeat purchases).");
            }
        }

        var (_, atPoint) = Objective(point);
        var gradientNorm = atPoint.L2Norm() / scale;
        var fitted = new double[n];
        for (var j = 0; j < n; j++)
        {
            fitted[j] = ModelParameter.FromLog(point[j], model, names[j]);
        }

        // The log-likelihood itself: the objective's value less the penalty (a penalised fit reports its data's fit).
        var logLikelihoodAt = penalizer == 0 ? -result.FunctionInfoAtMinimum.Value / scale : logLikelihood(fitted, new double[n]);
        var report = FitChecks.Stationary(model, result.Iterations, gradientNorm, logLikelihoodAt, customers) with
        {
            Uncertainty = uncertainty ? Uncertainty(Objective, point, atPoint, scale, names, fitted) : null,
        };
        return (fitted, report);
    }

    /// <summary>
    /// The parameters' uncertainty from the objective's Hessian at the optimum, by forward differences of its analytic
    /// gradient in the log-parameters (n more gradients: the standard errors cost a fit a few of its dozens of
    /// evaluations); null when the information matrix is not positive definite (a ridge, a parameter at a bound).
    /// </summary>
    private static ParameterUncertainty? Uncertainty(Func<Vector<double>, (double, Vector<double>)> objective, Vector<double> point, Vector<double> gradient, double scale, string[] names, double[] fitted)
    {
        const double Step = 1e-5;
        var n = point.Count;
        var hessian = Matrix<double>.Build.Dense(n, n);
        for (var k = 0; k < n; k++)
        {
            var moved = point.Clone();
            moved[k] += Step;
            var (_, g) = objective(moved);
            for (var j = 0; j < n; j++)
            {
                hessian[j, k] = (g[j] - gradient[j]) / Step / scale; // of the total negative log-likelihood
            }
        }

        var information = (hessian + hessian.Transpose()) / 2;
        if (!information.Enumerate().All(double.IsFinite))
        {
            return null;
        }

        Matrix<double> covariance;
        try
        {
            covariance = information.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(n));
        }
        catch (ArgumentException)
        {
            return null; // not positive definite: the data do not pin the parameters down at this point
        }

        var flat = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                flat[(i * n) + j] = covariance[i, j];
                if (i == j && !(covariance[i, j] > 0))
                {
                    return null;
                }
            }
        }

        return new ParameterUncertainty(names, fitted, flat);
    }
}
