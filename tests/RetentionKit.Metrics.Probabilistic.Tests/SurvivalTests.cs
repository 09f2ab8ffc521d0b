using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace RetentionKit.Metrics.Probabilistic.Tests;

/// <summary>Kaplan–Meier on the 6-MP leukaemia trial and the shifted-beta-geometric on Fader &amp; Hardie (2007).</summary>
public class SurvivalTests
{
    private static (string Arm, SurvivalObservation Observation)[] Leukaemia() =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "leukemia_6mp.csv")).Skip(1).Select(line =>
        {
            var f = line.Split(',');
            return (f[0], new SurvivalObservation(double.Parse(f[1], CultureInfo.InvariantCulture), f[2] == "1"));
        })];

    [Fact]
    public void KaplanMeier_On6Mp_ReproducesSurvivalAndGreenwoodErrors()
    {
        var curve = KaplanMeierCurve.ByGroup(Leukaemia())["6mp"];

        // Cox & Oakes (1984), Table 4.1: S(t) and Greenwood standard errors at the event times.
        double[] times = [6, 7, 10, 13, 16, 22, 23];
        double[] survival = [0.8571, 0.8067, 0.7529, 0.6902, 0.6275, 0.5378, 0.4482];
        double[] errors = [0.0764, 0.0869, 0.0963, 0.1068, 0.1141, 0.1282, 0.1346];
        Assert.Equal(times, curve.Steps.Select(s => s.Time));
        for (var i = 0; i < times.Length; i++)
        {
            Assert.Equal(survival[i], curve.Steps[i].Survival, 4);
            Assert.Equal(errors[i], curve.Steps[i].StandardError, 4);
            Assert.InRange(survival[i], curve.Steps[i].Lower, curve.Steps[i].Upper);
        }

        Assert.Equal(23, curve.Median);
        Assert.Equal(21, curve.Subjects);
        Assert.Equal(0.7529, curve.SurvivalAt(12), 4);
        Assert.Equal(1, curve.SurvivalAt(5.9));
    }

    [Fact]
    public void KaplanMeier_WithoutCensoring_IsThePlainEmpiricalSurvival()
    {
        var placebo = Leukaemia().Where(o => o.Arm == "placebo").Select(o => o.Observation).ToArray();
        var curve = KaplanMeierCurve.Estimate(placebo);

        foreach (var step in curve.Steps)
        {
            Assert.Equal(placebo.Count(o => o.Time > step.Time) / (double)placebo.Length, step.Survival, 12);
        }

        Assert.Equal(8, curve.Median);
        Assert.Throws<ArgumentException>(() => KaplanMeierCurve.Estimate([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => KaplanMeierCurve.Estimate([new SurvivalObservation(-1, true)]));
    }

    [Fact]
    public void ShiftedBetaGeometric_OnTheRegularCohortsFirstSevenYears_ReproducesThePublishedFit()
    {
        // Fader & Hardie (2007), Table 1, regular cohort, years 0–7: α = 0.704, β = 1.182.
        double[] regular = [1000, 631, 468, 382, 326, 289, 262, 241];

        var model = ShiftedBetaGeometricModel.FitTo(regular);

        Assert.Equal(0.704, model.Alpha, 3);
        Assert.Equal(1.182, model.Beta, 3);
        Assert.InRange(model.Fit!.GradientNorm, 0, 1e-3);
        Assert.Equal(1, model.Survival(0));
        Assert.Equal(model.Alpha / (model.Alpha + model.Beta), model.ChurnProbabilityAt(1), 12);
        Assert.True(Enumerable.Range(1, 12).All(t => model.RetentionRate(t + 1) > model.RetentionRate(t)), "retention rises with tenure");
        Assert.Equal(model.Survival(5) / model.Survival(4), model.RetentionRate(5), 12);
    }

    [Fact]
    public void Derl_IsTheDiscountedSumOfSurvivalAhead_TheUpcomingRenewalUndiscounted()
    {
        var model = new ShiftedBetaGeometricModel(0.704, 1.182);
        const double d = 0.1;
        foreach (var k in new[] { 0, 1, 4, 7 })
        {
            // Σ_{t ≥ K+1} S(t)/S(K) / (1+d)^(t−K−1), summed directly.
            double sum = 0;
            for (var t = k + 1; t < k + 2_000; t++)
            {
                sum += model.Survival(t) / model.Survival(k) / Math.Pow(1 + d, t - k - 1);
            }

            Assert.Equal(sum, model.DiscountedExpectedResidualLifetime(k, d), 6);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => model.DiscountedExpectedResidualLifetime(1, 0));
    }

    [Fact]
    public void ShiftedBetaGeometric_BadSurvivors_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => ShiftedBetaGeometricModel.FitTo([1000, 600]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShiftedBetaGeometricModel.FitTo([1000, 600, 700]));
    }
}
