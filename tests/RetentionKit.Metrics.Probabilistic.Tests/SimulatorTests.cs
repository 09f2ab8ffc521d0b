using System;
using System.Linq;
using NodaTime;

namespace RetentionKit.Metrics.Probabilistic.Tests;

/// <summary>The BG/NBD simulator: a fit recovers the parameters it drew from; the same seed gives the same base.</summary>
public class SimulatorTests
{
    private static readonly BgNbdModel Truth = new(0.243, 4.414, 0.793, 2.426);

    [Fact]
    public void AFit_RecoversTheParametersTheBaseWasDrawnFrom()
    {
        var customers = BgNbdSimulator.Simulate(Truth, 60_000, window: 39, acquisitionSpan: 12, seed: 7);

        var fitted = BgNbdModel.FitTo(customers);

        Assert.InRange(fitted.R, 0.22, 0.27);
        Assert.InRange(fitted.Alpha, 3.8, 5.1);
        Assert.InRange(fitted.A, 0.6, 1.0);
        Assert.InRange(fitted.B, 1.8, 3.2);
        Assert.True(fitted.LogLikelihood(customers) >= Truth.LogLikelihood(customers), "the fit is at least as likely as the truth on its own sample");
    }

    [Fact]
    public void TheLikelihoodOfALargeBase_IsTheSumOverItsCustomers()
    {
        // 60,000 customers collapse to more than 16,384 distinct histories: the blocked, multi-core path.
        var customers = BgNbdSimulator.Simulate(Truth, 60_000, 39, 12, seed: 8);

        var whole = Truth.LogLikelihood(customers);
        var sum = customers.Sum(c => Truth.LogLikelihood([c]));

        Assert.True(customers.Distinct().Count() > 16_384);
        Assert.Equal(sum, whole, Math.Abs(sum) * 1e-12);
        Assert.Equal(whole, Truth.LogLikelihood([.. customers.Reverse()]), Math.Abs(sum) * 1e-12);
    }

    [Fact]
    public void BatchPredictions_EqualTheOneByOnePredictions()
    {
        var customers = BgNbdSimulator.Simulate(Truth, 20_000, 39, 12, seed: 5);
        var (expected, alive) = (new double[customers.Length], new double[customers.Length]);

        Truth.Predict(39, customers, expected, alive);

        for (var i = 0; i < customers.Length; i++)
        {
            Assert.Equal(Truth.ConditionalExpectedPurchases(39, customers[i]), expected[i], 12);
            Assert.Equal(Truth.ProbabilityAlive(customers[i]), alive[i], 15);
        }

        Assert.Throws<System.ArgumentException>(() => Truth.Predict(39, customers, new double[1], alive));
    }

    [Fact]
    public void TheSameSeed_GivesTheSameBase_AndEveryHistoryIsValid()
    {
        var a = BgNbdSimulator.Simulate(Truth, 2_000, 39, 12, seed: 3);
        var b = BgNbdSimulator.Simulate(Truth, 2_000, 39, 12, seed: 3);

        Assert.Equal(a, b);
        Assert.All(a, h => h.Validate("h"));
        Assert.Contains(a, h => h.Frequency == 0);
        Assert.Contains(a, h => h.Frequency > 3);
        Assert.NotEqual(a, BgNbdSimulator.Simulate(Truth, 2_000, 39, 12, seed: 4));
        Assert.InRange(a.Average(h => h.T), 33, 39);
    }

    [Fact]
    public void ATransactionLog_FitOnItsCalibrationPeriod_PredictsItsHoldOutPeriod()
    {
        // 20,000 customers first buying over 12 weeks; 39 weeks of calibration, then 39 weeks held out (CDNOW's design).
        var start = new LocalDate(2024, 1, 1);
        var customers = Enumerable.Range(0, 20_000).Select(i => ($"c{i:D5}", start.PlusDays(i % 84))).ToArray();
        var (calibrationEnd, end) = (start.PlusDays(272), start.PlusDays(545));
        var log = BgNbdSimulator.SimulateTransactions(Truth, new GammaGammaModel(6.25, 3.74, 15.44), customers, end, seed: 21);

        var summary = TransactionSummary.From(log, calibrationEnd);
        var fitted = BgNbdModel.FitTo([.. summary.Select(s => s.History)]);
        var actual = log.Where(t => t.Date > calibrationEnd).GroupBy(t => t.Customer).ToDictionary(g => g.Key, g => g.Select(t => t.Date).Distinct().Count());
        var predicted = summary.Sum(s => fitted.ConditionalExpectedPurchases(39, s.History));

        Assert.Equal(log, BgNbdSimulator.SimulateTransactions(Truth, new GammaGammaModel(6.25, 3.74, 15.44), customers, end, seed: 21));
        Assert.Equal(20_000, summary.Count);
        Assert.All(log, t => Assert.True(t.Value > 0 && t.Value == Math.Round(t.Value, 2) && t.Date <= end));
        Assert.InRange(fitted.R, 0.2, 0.3);
        Assert.InRange(fitted.A, 0.5, 1.1);
        Assert.InRange(predicted / actual.Values.Sum(), 0.93, 1.07);
        Assert.Throws<ArgumentException>(() => BgNbdSimulator.SimulateTransactions(Truth, new GammaGammaModel(6.25, 3.74, 15.44), [("late", end.PlusDays(1))], end, seed: 1));
    }
}
