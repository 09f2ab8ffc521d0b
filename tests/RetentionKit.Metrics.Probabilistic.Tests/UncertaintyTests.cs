using System;
using System.Linq;

namespace RetentionKit.Metrics.Probabilistic.Tests;

/// <summary>Standard errors from the observed information, intervals, and the penalizer.</summary>
public class UncertaintyTests
{
    [Fact]
    public void BgNbdOnCdnow_HasTheStandardErrorsLifetimesReports()
    {
        // lifetimes' BetaGeoFitter summary on CDNOW: se(r) 0.01, se(α) 0.38, se(a) 0.19, se(b) 0.71.
        var u = BgNbdModel.FitTo(BgNbdTests.Cdnow()).Fit!.Uncertainty!;

        Assert.Equal(["r", "alpha", "a", "b"], u.Names.ToArray());
        Assert.Equal(0.01, u.StandardErrors[0], 2);
        Assert.Equal(0.38, u.StandardErrors[1], 2);
        Assert.Equal(0.19, u.StandardErrors[2], 2);
        Assert.Equal(0.71, u.StandardErrors[3], 2);
    }

    [Fact]
    public void EveryModel_ReportsPositiveStandardErrors_AndIntervalsAroundItsEstimates()
    {
        var cdnow = BgNbdTests.Cdnow();
        var (rows, weights) = BgBbTests.Donations();
        FitReport[] fits = [BgNbdModel.FitTo(cdnow).Fit!, ParetoNbdModel.FitTo(cdnow).Fit!, MbgNbdModel.FitTo(cdnow).Fit!, BgBbModel.FitTo(rows, weights).Fit!];

        foreach (var u in fits.Select(f => f.Uncertainty!))
        {
            for (var j = 0; j < u.Names.Length; j++)
            {
                var (lower, upper) = u.Interval(j);
                var (lower99, upper99) = u.Interval(j, 0.99);
                Assert.True(u.StandardErrors[j] > 0 && double.IsFinite(u.StandardErrors[j]));
                Assert.True(lower < u.Estimates[j] && u.Estimates[j] < upper && lower > 0);
                Assert.True(lower99 < lower && upper99 > upper);
                Assert.Equal(u.LogCovariance(j, (j + 1) % u.Names.Length), u.LogCovariance((j + 1) % u.Names.Length, j), 12);
            }
        }
    }

    // The asymptotic intervals, checked where it matters: 500 data sets drawn from known parameters (2,000 customers
    // each, CDNOW's shape), each fitted; a 90 % interval must cover the true value in 90 % ± 3 % of the fits — for each
    // parameter and for a customer's expected purchases.
    [Fact]
    public void NinetyPercentIntervals_CoverTheTruth_InNinetyPercentOfSimulatedFits()
    {
        var truth = new BgNbdModel(0.243, 4.414, 0.793, 2.426);
        var customer = new PurchaseHistory(2, 30.43, 38.86);
        var trueExpected = truth.ConditionalExpectedPurchases(39, customer);
        double[] trueParameters = [truth.R, truth.Alpha, truth.A, truth.B];
        var covered = new int[5];
        const int Fits = 500;
        for (var seed = 0; seed < Fits; seed++)
        {
            var fit = BgNbdModel.FitTo(BgNbdSimulator.Simulate(truth, 2_000, 39, 12, seed));
            var u = fit.Fit!.Uncertainty!;
            for (var j = 0; j < 4; j++)
            {
                var (lower, upper) = u.Interval(j);
                covered[j] += lower <= trueParameters[j] && trueParameters[j] <= upper ? 1 : 0;
            }

            var (_, low, high) = u.Interval(p => new BgNbdModel(p[0], p[1], p[2], p[3]).ConditionalExpectedPurchases(39, customer));
            covered[4] += low <= trueExpected && trueExpected <= high ? 1 : 0;
        }

        Assert.True(covered.All(c => c / (double)Fits is >= 0.87 and <= 0.93), $"coverage {string.Join(", ", covered.Select(c => c / (double)Fits))}");
    }

    // The same for the discrete-time model: donors drawn from the published BG/BB parameters, six opportunities.
    [Fact]
    public void NinetyPercentIntervals_OfBgBb_CoverTheTruth_InNinetyPercentOfSimulatedFits()
    {
        var truth = new BgBbModel(1.204, 0.750, 0.657, 2.783);
        double[] trueParameters = [truth.Alpha, truth.Beta, truth.Gamma, truth.Delta];
        var covered = new int[4];
        const int Fits = 500;
        for (var seed = 0; seed < Fits; seed++)
        {
            var u = BgBbModel.FitTo(BgBbSimulator.Simulate(truth, 3_000, 6, seed)).Fit!.Uncertainty!;
            for (var j = 0; j < 4; j++)
            {
                var (lower, upper) = u.Interval(j);
                covered[j] += lower <= trueParameters[j] && trueParameters[j] <= upper ? 1 : 0;
            }
        }

        Assert.True(covered.All(c => c / (double)Fits is >= 0.87 and <= 0.93), $"coverage {string.Join(", ", covered.Select(c => c / (double)Fits))}");
    }

    [Fact]
    public void ThePenalizer_ShrinksTheLogParametersTowardZero_AndZeroChangesNothing()
    {
        var few = BgNbdTests.Cdnow().Take(300).ToArray();
        var plain = BgNbdModel.FitTo(few);
        var none = BgNbdModel.FitTo(few, penalizer: 0);
        var shrunk = BgNbdModel.FitTo(few, penalizer: 0.1);

        Assert.Equal((plain.R, plain.Alpha, plain.A, plain.B), (none.R, none.Alpha, none.A, none.B));
        double Norm(BgNbdModel m) => new[] { m.R, m.Alpha, m.A, m.B }.Sum(v => Math.Log(v) * Math.Log(v));
        Assert.True(Norm(shrunk) < Norm(plain), $"{Norm(shrunk)} against {Norm(plain)}");

        // The report keeps the data's own log-likelihood, lower at the penalised point than at the maximum.
        Assert.Equal(shrunk.LogLikelihood(few), shrunk.Fit!.LogLikelihood, 8);
        Assert.True(shrunk.Fit.LogLikelihood < plain.Fit!.LogLikelihood);
        Assert.Equal("penalizer", Assert.Throws<ArgumentOutOfRangeException>(() => ParetoNbdModel.FitTo(few, penalizer: -1)).ParamName);
    }

    [Fact]
    public void AnIntervalOfAQuantity_NeedsItPositiveAtTheEstimates_AndALevelBetweenZeroAndOne()
    {
        var u = BgNbdModel.FitTo(BgNbdTests.Cdnow()).Fit!.Uncertainty!;

        Assert.Equal("quantity", Assert.Throws<ArgumentException>(() => u.Interval(_ => 0)).ParamName);
        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => u.Interval(0, 1.0)).ParamName);
        Assert.Equal("i", Assert.Throws<ArgumentOutOfRangeException>(() => u.LogCovariance(4, 0)).ParamName);

        // A quantity of one parameter has that parameter's interval.
        var (estimate, lower, upper) = u.Interval(p => p[1]);
        Assert.Equal(u.Estimates[1], estimate, 12);
        Assert.Equal(u.Interval(1).Lower, lower, 6);
        Assert.Equal(u.Interval(1).Upper, upper, 6);
    }
}
