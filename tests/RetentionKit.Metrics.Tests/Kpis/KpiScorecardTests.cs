using System;
using System.Linq;
using NodaTime;
using RetentionKit.Metrics.Kpis;
using RetentionKit.Metrics.Subscriptions;

namespace RetentionKit.Metrics.Tests.Kpis;

public class KpiScorecardTests
{
    private static readonly KpiScorecard Default = new(new KpiTargetOptions());

    [Fact]
    public void Evaluate_DocumentDefaults()
    {
        var actuals = new KpiActuals(Rate.FromPercent(96), Rate.FromPercent(75), null, 55, Rate.FromPercent(35), Rate.FromPercent(20));
        var lines = Default.Evaluate(actuals).ToDictionary(l => l.Kpi);

        Assert.Equal(new KpiResult(Kpi.MonthlyRetention, 0.96, 0.95, null, KpiStatus.Met), lines[Kpi.MonthlyRetention]);
        Assert.Equal(KpiStatus.Below, lines[Kpi.AnnualRetention].Status);
        Assert.Equal(0.80, lines[Kpi.AnnualRetention].Target);
        Assert.Equal(KpiStatus.NotMeasured, lines[Kpi.ReactivationRate].Status);
        Assert.Equal(0.30, lines[Kpi.ReactivationRate].Target);
        Assert.Equal(new KpiResult(Kpi.Nps, 55, 50, null, KpiStatus.Met), lines[Kpi.Nps]);
        Assert.Equal(new KpiResult(Kpi.UpsellConversion, 0.35, 0.20, 0.30, KpiStatus.Above), lines[Kpi.UpsellConversion]);
        Assert.Equal(new KpiResult(Kpi.CrossSellConversion, 0.20, 0.15, 0.25, KpiStatus.Met), lines[Kpi.CrossSellConversion]);
    }

    [Fact]
    public void Evaluate_TargetIsInclusive() =>
        Assert.Equal(KpiStatus.Met, Default.Evaluate(new KpiActuals(Rate.FromPercent(95), null, null, null, null, null))[0].Status);

    [Fact]
    public void Evaluate_TopOfBandIsInclusive() =>
        Assert.Equal(KpiStatus.Met, Default.Evaluate(new KpiActuals(null, null, null, null, Rate.FromFraction(0.30), null))[4].Status);

    [Fact]
    public void Constructor_EqualBandEnds_AreValid()
    {
        var scorecard = new KpiScorecard(new KpiTargetOptions { UpsellConversionMin = 0.25, UpsellConversionMax = 0.25, CrossSellConversionMin = 0.2, CrossSellConversionMax = 0.2 });
        Assert.Equal(KpiStatus.Met, scorecard.Evaluate(new KpiActuals(null, null, null, null, Rate.FromFraction(0.25), null))[4].Status);
    }

    [Fact]
    public void KpiActuals_From_NoCompleteMonth_MonthlyRetentionNotMeasured()
    {
        var analysis = new SubscriptionAnalyzer(new()).Analyze(
            [new SubscriptionChange("1", new CustomerId("a"), "pro", Money.Usd(10m), BillingInterval.Monthly, new LocalDate(2025, 1, 1))],
            new LocalDate(2025, 1, 15),
            Currency.Usd);
        Assert.Null(KpiActuals.From(analysis).MonthlyRetention);
    }

    [Fact]
    public void Constructor_InvalidTargets_ListsEveryProblem()
    {
        var ex = Assert.Throws<ArgumentException>("targets", () => new KpiScorecard(new KpiTargetOptions
        {
            MonthlyRetention = 1.5,
            Nps = 120,
            UpsellConversionMin = 0.4,
            UpsellConversionMax = 0.3,
        }));
        Assert.Contains("MonthlyRetention", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nps", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RetentionKit:Metrics:Targets:UpsellConversionMin (0.4) must not exceed Targets:UpsellConversionMax (0.3).", ex.Message, StringComparison.Ordinal);
        Assert.Equal(
            "RetentionKit:Metrics:Targets:MonthlyRetention must be between 0 and 1.; "
            + "RetentionKit:Metrics:Targets:Nps must be between -100 and 100.; "
            + "RetentionKit:Metrics:Targets:UpsellConversionMin (0.4) must not exceed Targets:UpsellConversionMax (0.3). (Parameter 'targets')",
            ex.Message);
        Assert.Throws<ArgumentNullException>("targets", () => new KpiScorecard(null!));
        Assert.Throws<ArgumentNullException>("actuals", () => Default.Evaluate(null!));
    }

    [Fact]
    public void KpiActuals_From_UsesLatestCompleteMonth()
    {
        var a = new CustomerId("a");
        var b = new CustomerId("b");
        SubscriptionEvent[] events =
        [
            new SubscriptionChange("1", a, "pro", Money.Usd(10m), BillingInterval.Monthly, new LocalDate(2025, 1, 1)),
            new SubscriptionChange("1", b, "pro", Money.Usd(10m), BillingInterval.Monthly, new LocalDate(2025, 1, 1)),
            new Cancellation("2", b, new LocalDate(2025, 2, 10), ChurnReason.Price),
            new Cancellation("2", a, new LocalDate(2025, 3, 2), ChurnReason.Price),
        ];
        var analysis = new SubscriptionAnalyzer(new()).Analyze(events, new LocalDate(2025, 3, 15), Currency.Usd);
        var actuals = KpiActuals.From(analysis, nps: new NpsResult(1, 0, 0));

        Assert.Equal(0.5, actuals.MonthlyRetention!.Value.Fraction); // February, not the partial March
        Assert.Null(actuals.AnnualRetention);
        Assert.Equal(0d, actuals.ReactivationRate!.Value.Fraction);
        Assert.Equal(100d, actuals.Nps);
        Assert.Null(actuals.UpsellConversion);
        Assert.Throws<ArgumentNullException>("subscriptions", () => KpiActuals.From(null!));
    }
}
