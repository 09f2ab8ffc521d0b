using System;

namespace RetentionKit.Metrics.Probabilistic.Tests;

/// <summary>An analytic gradient against central differences of the function it is the gradient of.</summary>
internal static class GradientCheck
{
    /// <summary>
    /// Asserts that <paramref name="logLikelihood"/>'s gradient at <paramref name="theta"/> (written into its second
    /// argument when that is not null) matches central differences with relative steps of 10⁻⁶, to 10⁻⁵ relative.
    /// </summary>
    public static void Matches(Func<double[], double[]?, double> logLikelihood, double[] theta, string context)
    {
        var gradient = new double[theta.Length];
        logLikelihood(theta, gradient);
        for (var j = 0; j < theta.Length; j++)
        {
            var step = 1e-6 * theta[j];
            double At(double delta)
            {
                var p = (double[])theta.Clone();
                p[j] += delta;
                return logLikelihood(p, null);
            }

            var numeric = (At(step) - At(-step)) / (2 * step);
            Assert.True(Math.Abs(numeric - gradient[j]) <= 1e-5 * Math.Max(1, Math.Abs(numeric)), $"∂{j}: analytic {gradient[j]}, numeric {numeric} at {context}");
        }
    }
}
