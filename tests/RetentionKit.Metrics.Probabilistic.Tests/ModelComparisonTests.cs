using System;
using System.Linq;
using NodaTime;

namespace RetentionKit.Metrics.Probabilistic.Tests;

/// <summary>The calibration/hold-out split and the three models compared on CDNOW's 39 + 39 weeks.</summary>
public class ModelComparisonTests
{
    private static readonly LocalDate CalibrationEnd = new(1997, 9, 30);
    private static readonly LocalDate ObservationEnd = new(1998, 6, 30);

    [Fact]
    public void TheSplit_HasTheCalibrationSummaries_AndEveryLaterPurchaseInTheHoldout()
    {
        var log = TransactionSummaryTests.CdnowTransactions();

        var split = CalibrationHoldoutSplit.From(log, CalibrationEnd, ObservationEnd);

        Assert.Equal(2_357, split.Customers.Length);
        Assert.Equal(39, split.HoldoutLength, 10);
        Assert.Equal(TransactionSummary.From(log, CalibrationEnd).Select(c => c.History), split.Customers.Select(c => c.Calibration));

        // Every hold-out day of every customer, counted once per day; the spend is every hold-out transaction's value.
        var holdout = log.Where(t => t.Date > CalibrationEnd && t.Date <= ObservationEnd).ToArray();
        Assert.Equal(holdout.Select(t => (t.Customer, t.Date)).Distinct().Count(), split.Customers.Sum(c => c.HoldoutPurchases));
        Assert.Equal(holdout.Sum(t => t.Value), split.Customers.Sum(c => c.HoldoutSpend));
    }

    [Fact]
    public void TheSplit_LeavesOutCustomersFirstSeenInTheHoldout_AndNamesBadInput()
    {
        var d = new LocalDate(2026, 1, 5);
        Transaction[] log = [new("a", d, 10m), new("a", d.PlusDays(14), 20m), new("a", d.PlusDays(40), 7m), new("a", d.PlusDays(40), 3m), new("b", d.PlusDays(35), 3m)];

        var split = CalibrationHoldoutSplit.From(log, d.PlusDays(28), d.PlusDays(56));

        Assert.Equal([new HoldoutCustomer("a", new PurchaseHistory(1, 2, 4), 20m, 1, 10m)], split.Customers.ToArray());
        Assert.Equal(4, split.HoldoutLength, 12);
        Assert.Equal("observationEnd", Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationHoldoutSplit.From(log, d, d)).ParamName);
        Assert.Equal("transactions", Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationHoldoutSplit.From([new("a", d, -1m)], d.PlusDays(1), d.PlusDays(2))).ParamName);
    }

    [Fact]
    public void OnCdnow_EveryModelPredictsTheHoldoutClosely_AndAWinnerIsNamed()
    {
        var split = CalibrationHoldoutSplit.From(TransactionSummaryTests.CdnowTransactions(), CalibrationEnd, ObservationEnd);

        var comparison = ModelComparison.Compare(split);

        Assert.Equal(["BG/NBD", "Pareto/NBD", "MBG/NBD"], comparison.Models.Select(m => m.Model).ToArray());
        Assert.Equal(split.Customers.Sum(c => c.HoldoutPurchases), comparison.ActualHoldoutPurchases);
        foreach (var m in comparison.Models)
        {
            Assert.Null(m.Failure);

            // CDNOW's 2,357 customers made 1,882 purchases (days) in weeks 40–78; the models predict 1,577 (MBG/NBD) to 1,666
            // (Pareto/NBD), under by 12–16 % as in Fader, Hardie & Lee's tracking plots; each bin within 0.6 purchases.
            Assert.Equal(1_882, comparison.ActualHoldoutPurchases);
            Assert.InRange(m.PredictedHoldoutPurchases, 0.8 * 1_882, 1_882);
            Assert.Equal(Enumerable.Range(0, 8).ToArray(), m.ByFrequency.Select(b => b.Frequency).ToArray());
            Assert.Equal(2_357, m.ByFrequency.Sum(b => b.Customers));
            Assert.All(m.ByFrequency, b => Assert.InRange(b.Predicted - b.Actual, -0.6, 0.6));
            Assert.Equal(m.ByFrequency.Sum(b => b.Customers * Math.Abs(b.Predicted - b.Actual)) / 2_357, m.BinError, 12);
            Assert.Equal((8 - (2 * m.LogLikelihood), (4 * Math.Log(2_357)) - (2 * m.LogLikelihood)), (m.Aic, m.Bic));
            Assert.NotNull(m.Uncertainty);
        }

        // The published maxima: BG/NBD −9582.43, Pareto/NBD −9594.98 (MBG/NBD's is lifetimes').
        Assert.Equal(-9582.43, comparison.Models[0].LogLikelihood, 1);
        Assert.Equal(-9594.97, comparison.Models[1].LogLikelihood, 1);
        // BG/NBD's conditional expectations are closest by frequency (a mean error of 0.10 purchases per customer against
        // Pareto/NBD's 0.11 and MBG/NBD's 0.13), although MBG/NBD has the lower BIC.
        Assert.Equal("BG/NBD", comparison.Winner);
        Assert.Equal(comparison.Models.OrderBy(m => m.BinError).ThenBy(m => m.Bic).First().Model, comparison.Winner);
        Assert.True(comparison.Models[2].Bic < comparison.Models[0].Bic);
    }

    [Fact]
    public void AModelThatCannotBeFitted_IsReportedWithItsCause_AndNotChosen()
    {
        // Four customers who never came back: the likelihood is highest as the purchase rate goes to 0 — no estimate.
        var d = new LocalDate(2026, 1, 5);
        Transaction[] log = [new("a", d, 1m), new("b", d.PlusDays(1), 1m), new("c", d.PlusDays(2), 1m), new("d", d.PlusDays(3), 1m)];

        var comparison = ModelComparison.Compare(CalibrationHoldoutSplit.From(log, d.PlusDays(30), d.PlusDays(60)));

        Assert.All(comparison.Models, m => Assert.True(m.Failure!.Contains("at least one repeat purchase", StringComparison.Ordinal) && double.IsNaN(m.LogLikelihood) && m.ByFrequency.IsEmpty));
        Assert.Null(comparison.Winner);
        Assert.Equal("split", Assert.Throws<ArgumentException>(() => ModelComparison.Compare(CalibrationHoldoutSplit.From(log.Take(3), d.PlusDays(30), d.PlusDays(60)))).ParamName);
    }
}
