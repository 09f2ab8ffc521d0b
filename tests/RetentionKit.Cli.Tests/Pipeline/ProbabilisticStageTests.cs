using System;
using System.Linq;
using NodaTime;
using RetentionKit.Cli.Data;
using RetentionKit.Cli.Pipeline;
using RetentionKit.Metrics.Probabilistic;
using RetentionKit.Metrics.Subscriptions;
using RetentionKit.Simulation;

namespace RetentionKit.Cli.Tests.Pipeline;

// The probabilistic stage on a simulated base: the hold-out test adds up, P(alive) and CLV are well formed, the survival
// curves follow the subscriptions.
public sealed class ProbabilisticStageTests
{
    private static readonly Lazy<(DataSet Data, LocalDate End, ProbabilisticSummary Summary)> Simulated = new(() =>
    {
        var simulated = CustomerBaseSimulator.Run(new SimulationSettings(3_000, 24, 17, SimulationSettings.Default.Start));
        var data = DataSet.From(simulated);
        var end = simulated.Settings.End;
        return (data, end, ProbabilisticStage.Run(PipelineContext.For(data, end), 0.8));
    });

    [Fact]
    public void TheHoldOutTest_CountsEveryCalibrationCustomerAndPurchase_AndThePredictionIsClose()
    {
        var (data, end, summary) = Simulated.Value;
        var m = summary.Purchases!;
        var calibrationEnd = end.PlusWeeks(-ProbabilisticStage.HoldoutWeeks);
        var calibrationCustomers = data.Transactions.Where(t => t.Date < calibrationEnd).Select(t => t.Customer).Distinct().Count();
        var heldOut = data.Transactions
            .Where(t => t.Date > calibrationEnd && data.Transactions.Any(f => f.Customer == t.Customer && f.Date < calibrationEnd))
            .Select(t => (t.Customer, t.Date)).Distinct().Count();

        Assert.Equal(calibrationEnd, m.CalibrationEnd);
        Assert.Equal(calibrationCustomers, m.CalibrationCustomers);
        Assert.Equal(calibrationCustomers, m.ByFrequency.Sum(r => r.Customers));
        Assert.Equal(heldOut, m.ActualTotal, 6);
        Assert.Equal(m.PredictedTotal, m.ByFrequency.Sum(r => r.Predicted * r.Customers), 6);
        Assert.InRange(m.PredictedTotal / m.ActualTotal, 0.8, 1.25);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7+"], m.ByFrequency.Select(r => r.Frequency));
        Assert.True(m.ByFrequency[^1].Predicted > m.ByFrequency[0].Predicted, "frequent buyers are expected to buy more");
    }

    [Fact]
    public void PAliveAndClv_AreOnePerBuyer_InRange_AndAgreeWithTheModels()
    {
        var (data, end, summary) = Simulated.Value;
        var m = summary.Purchases!;
        var today = TransactionSummary.From(data.Transactions, end);

        Assert.Equal(today.Count, m.Customers);
        Assert.All(m.ProbabilityAlive, p => Assert.InRange(p, 0, 1));
        Assert.Equal(today.Select(c => m.Current.ProbabilityAlive(c.History)).Order(), m.ProbabilityAlive.Order());
        Assert.Equal(m.Customers, m.Clv.Length);
        Assert.All(m.Clv, v => Assert.True(v >= 0));
        Assert.Equal(m.Clv.Order(), m.Clv);
        var first = today[0];
        var value = ProbabilisticClv.Value(m.Current, m.Spend!, first.History, (double)first.MonetaryValue, ProbabilisticStage.ClvMonths, ProbabilisticStage.MonthlyDiscount, 0.8);
        Assert.Contains(m.Clv, v => Math.Abs(v - value) < 1e-9);
    }

    [Fact]
    public void Survival_HasAHalfYearCohortPerSignUpHalf_EveryCustomerOnce_AndCurvesNeverRise()
    {
        var (data, end, summary) = Simulated.Value;

        Assert.Equal(["2024 H1", "2024 H2", "2025 H1", "2025 H2"], summary.Survival.Select(s => s.Cohort));
        Assert.Equal(data.Customers.Count(c => c.SignupDate <= end), summary.Survival.Sum(s => s.Curve.Subjects));
        var cancelledCustomers = data.Events.OfType<Cancellation>().Select(e => e.Customer).Distinct().Count();
        Assert.Equal(cancelledCustomers, summary.Survival.Sum(s => s.Curve.Steps.Sum(x => x.Events)));
        foreach (var cohort in summary.Survival)
        {
            var curve = Enumerable.Range(0, (int)cohort.FollowUpMonths + 1).Select(t => cohort.Curve.SurvivalAt(t)).ToList();
            Assert.All(curve.Zip(curve.Skip(1)), p => Assert.True(p.Second <= p.First));
            Assert.InRange(curve[^1], 0, 1);
        }

        Assert.True(summary.Survival[0].FollowUpMonths > summary.Survival[^1].FollowUpMonths);
    }

    [Fact]
    public void WithoutAPurchaseLog_ThereIsNoPurchaseModel_ButSurvivalStill()
    {
        var data = Simulated.Value.Data;
        var summary = ProbabilisticStage.Run(PipelineContext.For(data with { Transactions = [] }, Simulated.Value.End), 0.8);
        var few = ProbabilisticStage.Run(PipelineContext.For(data with { Transactions = [.. data.Transactions.Where(t => string.CompareOrdinal(t.Customer, "C000010") < 0)] }, Simulated.Value.End), 0.8);

        Assert.Null(summary.Purchases);
        Assert.Null(few.Purchases);
        Assert.Equal(Simulated.Value.Summary.Survival.Select(s => s.Curve.Steps), summary.Survival.Select(s => s.Curve.Steps));
    }
}
