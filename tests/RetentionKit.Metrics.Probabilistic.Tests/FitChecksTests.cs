namespace RetentionKit.Metrics.Probabilistic.Tests;

/// <summary>
/// A fit is converged only at a maximum. Regression: the Gamma-Gamma and shifted-beta-geometric fits reported
/// <c>Converged = true</c> whatever the gradient where the optimiser stopped (only BG/NBD checked it).
/// </summary>
public class FitChecksTests
{
    [Theory]
    [InlineData(1d, 946d)] // 946 customers: a gradient norm of 1 is 0.001 per customer
    [InlineData(9.4d, 946d)]
    [InlineData(0.01d, 0.5d)] // fewer than one customer counts as one
    public void Stationary_AGradientNearZeroForTheDataSize_IsConverged(double gradient, double customers)
    {
        var report = FitChecks.Stationary("Gamma-Gamma", 12, gradient, -4000, customers);

        Assert.Equal((12, gradient, -4000d, true), (report.Iterations, report.GradientNorm, report.LogLikelihood, report.Converged));
    }

    [Theory]
    [InlineData(9.5d, -4000d, 946d)] // 0.01 per customer and more
    [InlineData(0.02d, -4000d, 1d)]
    [InlineData(double.NaN, -4000d, 946d)]
    [InlineData(1e-6, double.NegativeInfinity, 946d)]
    [InlineData(1e-6, double.NaN, 946d)]
    public void Stationary_AGradientFarFromZero_OrANonFiniteLikelihood_IsNotAMaximum(double gradient, double logLikelihood, double customers)
    {
        var ex = Assert.Throws<ModelFitException>(() => FitChecks.Stationary("Gamma-Gamma", 7, gradient, logLikelihood, customers));

        Assert.StartsWith("The Gamma-Gamma fit stopped after 7 iterations with a gradient norm of ", ex.Message, System.StringComparison.Ordinal);
        Assert.EndsWith("not a maximum.", ex.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void EveryFit_OnItsPublishedData_EndsAtAMaximum_BelowTheThreshold()
    {
        var spend = GammaGammaTests.RepeatCustomers();
        var gammaGamma = GammaGammaModel.FitTo(spend).Fit!;
        var survival = ShiftedBetaGeometricModel.FitTo([1000, 869, 743, 653, 593, 551, 517, 491]).Fit!;

        Assert.True(gammaGamma.Converged);
        Assert.InRange(gammaGamma.GradientNorm, 0, FitChecks.MaxGradientPerCustomer * spend.Length);
        Assert.True(survival.Converged);
        Assert.InRange(survival.GradientNorm, 0, FitChecks.MaxGradientPerCustomer * 1000);
    }
}
