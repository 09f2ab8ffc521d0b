using System.Collections.Generic;
using System;
using System.Collections.Immutable;
using System.Linq;
using NodaTime;
using RetentionKit.Cli.Data;
using RetentionKit.Cli.Pipeline;
using RetentionKit.Metrics.Subscriptions;
using RetentionKit.Scoring;
using RetentionKit.Simulation;

namespace RetentionKit.Cli.Tests.Pipeline;

// The scoring stage on the simulator's ground truth: a simulated base whose churn follows a hidden health that the
// activity and feedback only reflect with noise.
public sealed class ScoringStageTests
{
    private static readonly Lazy<(DataSet Data, LocalDate End, ScoringSummary Summary)> Simulated = new(() =>
    {
        var simulated = CustomerBaseSimulator.Run(new SimulationSettings(3000, 24, 17, SimulationSettings.Default.Start));
        var data = DataSet.From(simulated);
        var end = simulated.Settings.End;
        return (data, end, new ScoringStage(new ScoringEngine(new ScoringOptions())).Run(PipelineContext.For(data, end), horizonDays: 90));
    });

    [Fact]
    public void Backtest_TheCalibratedModelRanksChurnersBetterThanTheDefaultBands()
    {
        var backtest = Simulated.Value.Summary.Backtest;

        Assert.NotNull(backtest);
        Assert.True(backtest.Default.Auc > 0.6, $"default AUC {backtest.Default.Auc:0.000}");
        Assert.True(backtest.Calibrated.Auc > backtest.Default.Auc, $"calibrated AUC {backtest.Calibrated.Auc:0.000} vs default {backtest.Default.Auc:0.000}");
        Assert.True(backtest.Calibrated.BrierScore < backtest.Default.BrierScore, $"Brier {backtest.Calibrated.BrierScore:0.000} vs {backtest.Default.BrierScore:0.000}");
        Assert.Equal(backtest.Default.Examples, backtest.Calibrated.Examples);
        Assert.Equal(backtest.Default.Churned, backtest.Calibrated.Churned);
        Assert.InRange(backtest.Default.Churned, 1, backtest.Default.Examples - 1);
        Assert.True(backtest.TrainingExamples > 1000, $"{backtest.TrainingExamples} training examples");
    }

    [Fact]
    public void Backtest_LabelsAreTheCancellationsWithinTheHorizon_AndTrainingLabelsAreKnownBeforeTheTestMonths()
    {
        var (data, end, summary) = Simulated.Value;
        var backtest = summary.Backtest!;
        var testFrom = backtest.TestFrom.ToDateInterval().End;

        // Test examples: every customer-month from the test month on whose 90-day outcome is known by the end.
        var testRows = data.Activity.Where(a => a.Month >= backtest.TestFrom && a.Month.ToDateInterval().End.PlusDays(90) <= end).ToList();
        Assert.Equal(testRows.Count, backtest.Default.Examples);
        var cancellations = data.Events.OfType<Cancellation>().ToLookup(c => c.Customer, c => c.EffectiveDate);
        var churned = testRows.Count(a => cancellations[a.Customer].Any(d => d > a.Month.ToDateInterval().End && d <= a.Month.ToDateInterval().End.PlusDays(90)));
        Assert.Equal(churned, backtest.Default.Churned);

        // Training examples: customer-months whose outcome was known by the first test month's end.
        var training = data.Activity.Count(a => a.Month.ToDateInterval().End.PlusDays(90) <= testFrom);
        Assert.Equal(training, backtest.TrainingExamples);
    }

    /// <summary>The customers whose last cancellation or reactivation by <paramref name="end"/> is a cancellation.</summary>
    private static HashSet<CustomerId> Gone(DataSet data, LocalDate end) =>
        data.Events.Where(e => e is Cancellation or Reactivation && e.EffectiveDate <= end)
            .GroupBy(e => e.Customer)
            .Where(g => g.OrderBy(e => e.EffectiveDate).Last() is Cancellation)
            .Select(g => g.Key)
            .ToHashSet();

    [Fact]
    public void Today_CustomersActiveAgainAfterAReactivation_AreScored()
    {
        // Regression: every customer who had ever cancelled was left out of today's scoring, reactivated or not.
        var (data, end, summary) = Simulated.Value;
        var lastMonth = new YearMonth(end.Year, end.Month);
        var reactivated = data.Events.OfType<Reactivation>().Where(r => r.EffectiveDate <= end).Select(r => r.Customer).ToHashSet();
        var gone = Gone(data, end);
        var back = data.Activity.Where(a => a.Month == lastMonth && reactivated.Contains(a.Customer) && !gone.Contains(a.Customer))
            .Select(a => a.Customer).Distinct().ToList();

        Assert.NotEmpty(back);
        Assert.All(back, c => Assert.True(summary.Current.ContainsKey(c), $"{c} is active again but was not scored"));
    }

    [Fact]
    public void Today_EveryCurrentCustomerHasOneLevelAndOneBand_AndTheTopListIsSortedWithReasons()
    {
        var (data, end, summary) = Simulated.Value;
        var lastMonth = new YearMonth(end.Year, end.Month);
        var cancelled = Gone(data, end);
        var expected = data.Activity.Count(a => a.Month == lastMonth && !cancelled.Contains(a.Customer));

        Assert.Equal(expected, summary.CurrentCustomers);
        Assert.Equal(expected, summary.Levels.Sum(l => l.Count));
        Assert.Equal(expected, summary.Bands.Sum(b => b.Count));
        Assert.Equal(ScoringStage.TopAtRiskCount, summary.TopAtRisk.Length);
        Assert.Equal(summary.TopAtRisk.Select(c => c.ChurnProbability).OrderByDescending(p => p), summary.TopAtRisk.Select(c => c.ChurnProbability));
        Assert.All(summary.TopAtRisk, c =>
        {
            Assert.Equal(c.ChurnProbability >= 0.7 ? RiskLevel.High : c.ChurnProbability >= 0.4 ? RiskLevel.Medium : RiskLevel.Low, c.Level);
            Assert.NotEmpty(c.Drivers);
            Assert.NotNull(c.Plan);
            Assert.True(c.Mrr > 0, $"{c.Customer} MRR {c.Mrr}");
            Assert.InRange(c.TenureMonths!.Value, 0, 24);
            Assert.DoesNotContain(c.Customer, cancelled);
        });
    }

    [Fact]
    public void Today_uses_the_calibrated_probability_when_the_history_is_labelled_and_says_so()
    {
        var summary = Simulated.Value.Summary;

        Assert.True(summary.Probability.IsCalibrated);
        Assert.StartsWith("calibrated (", summary.Probability.Label, StringComparison.Ordinal);
        Assert.True(summary.Probability.TrainingExamples > summary.Backtest!.TrainingExamples, "today's calibration learns from every labelled month");
        Assert.All(summary.Current.Values, s => Assert.Equal(ScoreNotes.Calibrated, s.Notes & ScoreNotes.Calibrated));
        Assert.All(summary.Current.Values, s => Assert.Equal(s.ChurnProbability >= 0.7 ? RiskLevel.High : s.ChurnProbability >= 0.4 ? RiskLevel.Medium : RiskLevel.Low, s.Level));
        Assert.Equal(summary.Current.Values.Max(s => s.ChurnProbability), summary.TopAtRisk[0].ChurnProbability);
    }

    [Fact]
    public void Mrr_at_risk_is_the_sum_of_probability_times_mrr()
    {
        var (data, end, summary) = Simulated.Value;
        var mrr = new Dictionary<CustomerId, decimal>();
        foreach (var e in data.Events.Where(e => e.EffectiveDate <= end).OrderBy(e => e.EffectiveDate))
        {
            if (e is SubscriptionChange c)
            {
                mrr[e.Customer] = c.Terms.MonthlyNetAmount.Amount;
            }
            else if (e is Reactivation r)
            {
                mrr[e.Customer] = r.Terms.MonthlyNetAmount.Amount;
            }
            else
            {
                mrr.Remove(e.Customer);
            }
        }

        var expected = summary.Current.Sum(c => (decimal)c.Value.ChurnProbability * mrr.GetValueOrDefault(c.Key));

        Assert.Equal((double)expected, (double)summary.MrrAtRisk, 6);
        Assert.InRange(summary.MrrAtRisk, 0.001m * summary.Mrr, 0.5m * summary.Mrr);
    }

    [Fact]
    public void The_calibration_matches_what_happened_on_held_out_months_and_the_rule_of_thumb_does_not()
    {
        var backtest = Simulated.Value.Summary.Backtest!;

        Assert.True(backtest.Calibrated.ExpectedCalibrationError <= 0.03, $"calibrated ECE {backtest.Calibrated.ExpectedCalibrationError:0.0000}");
        Assert.True(backtest.Default.ExpectedCalibrationError > 0.1, $"rule-of-thumb ECE {backtest.Default.ExpectedCalibrationError:0.0000}");
        Assert.InRange(backtest.Calibrated.CalibrationInTheLarge, -0.02, 0.02);
    }

    [Fact]
    public void Months_OneRowPerMonthWithEveryActivityRowScored()
    {
        var (data, _, summary) = Simulated.Value;

        Assert.Equal(24, summary.Months.Length);
        Assert.Equal(data.Activity.Count, summary.Months.Sum(m => m.Customers));
        Assert.All(summary.Months, m =>
        {
            Assert.Equal(m.Customers, m.Levels.Sum(l => l.Count));
            Assert.InRange(m.MeanRetentionScore!.Value, 0, 100);
            Assert.InRange(m.MeanRiskScore!.Value, 0, 100);
            Assert.InRange(m.MeanChurnProbability!.Value, 0, 1);
        });
    }

    [Fact]
    public void Snapshot_TakesTheMonthsActivity_TheLatestAnswersOfNinetyDays_AndTheMonthsComments()
    {
        var customer = new CustomerId("C1");
        var month = new YearMonth(2025, 6);
        var asOf = new LocalDate(2025, 6, 30);
        var activity = new MonthlyActivity(customer, month, logins: 12, baselineLogins: 20, featureShare: 0.4, emailsSent: 8, emailsOpened: 3,
            supportTickets: 2, negativeTickets: 1, daysPaymentLate: 5, competitorVisits: 4, alternativeSearches: 1, competitorTrial: true,
            contractReview: false, negativeSocialMentions: 0, usageOfLimit: 0.7);
        FeedbackRecord[] feedback =
        [
            new(customer, new LocalDate(2025, 3, 1), 2, 2, "old and terrible"), // older than 90 days: ignored
            new(customer, new LocalDate(2025, 4, 15), 6, null, "May comment"), // answer counts, comment is another month's
            new(customer, new LocalDate(2025, 6, 10), null, 8, "great support"),
            new(customer, new LocalDate(2025, 7, 2), 10, 10, "after the snapshot"),
        ];

        var snapshot = ScoringStage.Snapshot(activity, asOf, feedback);

        Assert.Equal((customer, asOf, asOf), (snapshot.Customer, snapshot.AsOf, snapshot.ObservedOn));
        Assert.Equal((12d, 20d, 0.4, 8d, 3d), (snapshot.Logins, snapshot.BaselineLogins, snapshot.FeatureShare, snapshot.EmailsSent, snapshot.EmailsOpened));
        Assert.Equal((2d, 1d, 5d, 4d, 1d), (snapshot.SupportTickets, snapshot.NegativeTickets, snapshot.DaysPaymentLate, snapshot.CompetitorVisits, snapshot.AlternativeSearches));
        Assert.Equal((1d, 0d, 0d, 0.7), (snapshot.CompetitorTrials, snapshot.ContractReviews, snapshot.NegativeSocialMentions, snapshot.UsageOfLimit));
        Assert.Equal((6d, 8d), (snapshot.Nps, snapshot.SurveySatisfaction));
        Assert.Equal(["great support"], snapshot.Comments.ToArray());
        Assert.Null(snapshot.CompetitorEvaluations);
        Assert.Null(snapshot.RoiMultiple);
    }

    [Fact]
    public void NoActivity_SaysSoAndScoresNothing()
    {
        var (data, end, _) = Simulated.Value;
        var empty = data with { Activity = ImmutableArray<MonthlyActivity>.Empty };

        var summary = new ScoringStage(new ScoringEngine(new ScoringOptions())).Run(PipelineContext.For(empty, end), 90);

        Assert.Equal(0, summary.CurrentCustomers);
        Assert.Null(summary.Backtest);
        Assert.Contains("no activity", summary.Note, StringComparison.Ordinal);
    }
}
