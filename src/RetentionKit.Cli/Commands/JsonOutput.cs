using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using NodaTime;
using RetentionKit.Cli.Data;
using RetentionKit.Cli.Output;
using RetentionKit.Cli.Pipeline;
using RetentionKit.Playbooks.Experiments;
using RetentionKit.Scoring;

namespace RetentionKit.Cli.Commands;

/// <summary>
/// The machine-readable results of a run (the <c>--json</c> contract): maps the pipeline's results to the contract
/// types of <see cref="PipelineOutput"/> and serialises them with the source-generated <see cref="OutputJsonContext"/>.
/// </summary>
internal static class JsonOutput
{
    public static string Pipeline(string command, PipelineResult r, string? reportPath) =>
        JsonSerializer.Serialize(ToContract(command, r, reportPath), OutputJsonContext.Default.PipelineOutput);

    public static PipelineOutput ToContract(string command, PipelineResult r, string? reportPath) => new(
        command,
        Date(r.AsOf),
        r.Currency.Code,
        new DataOutput(r.Data.Customers, r.Data.SubscriptionEvents, r.Data.ActivityRows, r.Data.FeedbackRows, r.Data.GroundTruthChurns),
        [.. r.Subscriptions.Periods.Select(p => new MonthOutput(
            Month(p.Month),
            p.Mrr.Starting.Round().Amount,
            p.Mrr.NewBusiness.Round().Amount,
            p.Mrr.Expansion.Round().Amount,
            p.Mrr.Reactivation.Round().Amount,
            p.Mrr.Contraction.Round().Amount,
            p.Mrr.Churn.Round().Amount,
            p.Mrr.Ending.Round().Amount,
            p.Customers.Starting,
            p.Customers.New,
            p.Customers.Reactivated,
            p.Customers.Churned,
            p.Customers.Ending,
            p.Customers.ChurnRate?.Fraction,
            p.RevenueRetention?.Nrr.Fraction,
            p.RevenueRetention?.Grr.Fraction))],
        [.. r.Subscriptions.Cohorts.Select(c => new CohortOutput(
            Month(c.Cohort),
            c.Size,
            [.. c.Cells.Select(x => x.CustomerRetention.Fraction)],
            [.. c.Cells.Select(x => x.RevenueRetention?.Fraction)]))],
        new RetentionOutput(r.Subscriptions.AnnualCustomerRetention?.Fraction, r.Subscriptions.ReactivationRate?.Fraction, r.TrailingYear?.Nrr.Fraction, r.TrailingYear?.Grr.Fraction),
        r.Subscriptions.ChurnByReason.ToDictionary(kv => kv.Key, kv => new ChurnTallyOutput(kv.Value.Customers, kv.Value.Mrr.Round().Amount), StringComparer.Ordinal),
        new SatisfactionOutput(r.Nps.Score, r.Nps.Responses, r.Csat.Score?.Fraction),
        [.. r.Scorecard.Select(k => new KpiOutput(k.Kpi.ToString(), k.Actual, k.Target, k.TargetMax, k.Status.ToString()))],
        r.Clv is { } clv
            ? new ClvOutput(clv.Values.Length, clv.MonthlyChurn.Fraction, clv.GrossMargin.Fraction, decimal.Round(clv.Mean, 2), decimal.Round(clv.Percentile(0.1), 2), decimal.Round(clv.Percentile(0.5), 2), decimal.Round(clv.Percentile(0.9), 2))
            : null,
        Scoring(r.Scoring),
        Segmentation(r.Segmentation),
        Loyalty(r.Loyalty),
        Playbooks(r.Playbooks),
        r.Feedback is { } feedback ? Feedback(feedback) : null,
        Probabilistic(r.Probabilistic),
        r.Experiments is { } experiments ? Experiments(experiments) : null,
        [.. r.Customers.Select(Customer)],
        reportPath);

    public static string Simulation(int customers, int months, int seed, string directory, DataSet data) =>
        JsonSerializer.Serialize(
            new SimulationOutput("simulate", customers, months, seed, directory, new SimulationRowsOutput(data.Customers.Count, data.Events.Count, data.Activity.Count, data.Feedback.Count, data.Churns.Count)),
            OutputJsonContext.Default.SimulationOutput);

    public static string Error(string message, int exitCode) =>
        JsonSerializer.Serialize(new ErrorOutput(message, exitCode), OutputJsonContext.Default.ErrorOutput);

    private static CustomerOutput Customer(CustomerRow c) => new(
        c.Customer.Value,
        c.Plan,
        decimal.Round(c.Mrr, 2),
        c.TenureMonths,
        Date(c.SignedUp),
        c.Segment,
        c.ChurnProbability,
        c.Level is { } level ? Camel(level.ToString()) : null,
        c.RetentionScore is { } score ? Math.Round(score, 1) : null,
        c.Band is { } band ? Camel(band.ToString()) : null,
        c.Reasons,
        c.NextStep is { } next ? new NextStepOutput(next.Playbook, next.Step, next.Channel, Date(next.DueOn)) : null);

    private static ScoringOutput Scoring(ScoringSummary s) => new(
        s.CurrentCustomers,
        new ProbabilityOutput(s.Probability.IsCalibrated ? "calibrated" : "ruleOfThumb", s.Probability.Label, s.Probability.TrainingExamples, s.Probability.LabelledTo is { } to ? Month(to) : null),
        decimal.Round(s.Mrr, 2),
        decimal.Round(s.MrrAtRisk, 2),
        Counts(s.Levels),
        Counts(s.Bands),
        [.. s.TopAtRisk.Select(c => new AtRiskOutput(
            c.Customer.Value,
            Camel(c.Level.ToString()),
            Defined(c.ChurnProbability),
            c.Plan,
            c.Mrr is { } mrr ? decimal.Round(mrr, 2) : null,
            c.TenureMonths,
            c.Drivers,
            Defined(c.RiskScore),
            c.RetentionScore,
            c.Band is { } band ? Camel(band.ToString()) : null,
            c.Reasons,
            c.RedFlags,
            c.Actions))],
        [.. s.Months.Select(m => new ScoreMonthOutput(Month(m.Month), m.Customers, m.MeanRetentionScore, m.MeanRiskScore, m.MeanChurnProbability, Counts(m.Levels)))],
        s.Backtest is { } b
            ? new BacktestOutput(b.HorizonDays, Month(b.TestFrom), b.TrainingExamples, b.TestExamples, b.Calibration.Iterations, Calibration(b.Default), Calibration(b.Calibrated))
            : null,
        s.Note);

    private static CalibrationOutput Calibration(CalibrationReport report) => new(
        report.Examples,
        report.Churned,
        report.Auc,
        report.BrierScore,
        report.LogLoss,
        report.CalibrationInTheLarge,
        report.ExpectedCalibrationError,
        [.. report.Table.Select(bin => new CalibrationBinOutput(bin.From, bin.To, bin.Count, Defined(bin.MeanPredicted), Defined(bin.ObservedRate)))]);

    private static SegmentationOutput Segmentation(SegmentationSummary s)
    {
        MigrationOutput? migration = null;
        if (s.Migration is { } m)
        {
            var n = m.Segments.Length;
            migration = new MigrationOutput(
                Date(m.From),
                Date(m.To),
                m.Segments,
                [.. Enumerable.Range(0, n).Select(f => (IReadOnlyList<int>)[.. Enumerable.Range(0, n).Select(t => m.Count(f, t))])],
                m.StartingCounts,
                m.Left,
                m.Entered,
                m.Upgrades ?? 0,
                m.Downgrades ?? 0,
                m.Stayed,
                [.. s.ObjectiveReached.Select(Defined)]);
        }

        return new SegmentationOutput(
            s.Customers,
            [.. (s.Distribution?.Segments ?? []).Select(x => new ValueSegmentOutput(
                x.Segment.ToString().ToLowerInvariant(),
                x.Customers,
                x.CustomerShare,
                decimal.Round(x.Revenue.Amount, 2),
                Defined(x.RevenueShare),
                x.CustomerShareAtypical,
                x.RevenueShareAtypical))],
            migration)
        {
            Note = s.Note,
            Persona = Mix("persona"),
            Industry = Mix("industry"),
            Rfm = Mix("rfm"),
        };

        Dictionary<string, int>? Mix(string name) =>
            s.Mixes.FirstOrDefault(m => m.Segmentation == name) is { } mix ? mix.Segments.ToDictionary(x => x.Segment, x => x.Customers, StringComparer.Ordinal) : null;
    }

    private static LoyaltyOutput Loyalty(LoyaltySummary l)
    {
        var f = l.Referrals;
        return new(
            l.Members,
            l.Postings,
            l.Redemptions,
            l.Outstanding,
            [.. l.Tiers.Select(t => new TierOutput(t.Tier, t.From, t.Customers))],
            [.. l.Months.Select(m => new PointsMonthOutput(Month(m.Month), m.Earned, m.Redeemed, m.Expired, m.ClawedBack))],
            new ReferralsOutput(l.AssumedReferredShare, f.CodesIssued, f.Attributed, f.Flagged, f.Qualified, f.Reversed, f.Expired, f.LimitReached, f.Conversion, f.RewardCost.Amount, f.ReversedCost.Amount));
    }

    private static FeedbackOutput Feedback(FeedbackSummary f) => new(
        Date(f.From),
        f.Items,
        f.Negative,
        f.Inbox.Length,
        f.Overdue,
        [.. f.Topics.Select(t => new TopicOutput(Lower(t.Segment), t.Topic, t.Count, t.Negative))],
        [.. f.Inbox.Take(50).Select(i => new FeedbackItemOutput(
            i.Feedback.Id,
            i.Feedback.Customer.Value,
            Date(i.Feedback.ReceivedOn),
            i.Feedback.Text,
            i.Feedback.Nps,
            i.Sentiment is { } s ? Math.Round(s, 4) : null,
            Lower(i.Band),
            [.. i.Topics],
            i.Team,
            i.Level.ToString().ToLowerInvariant(),
            Math.Round(i.PriorityOn(f.AsOf), 2),
            [.. i.OverdueOn(f.AsOf).Select(a => a.Kind.ToString())]))],
        [.. f.Improvements.Select(d => new ImprovementOutput(d.Area.ToString(), d.IsProduct, Lower(d.Segment), d.Count, d.Negative, [.. d.ByMonth], d.Trend))],
        [.. f.Tones.Select(t => new ToneOutput(t.Tone.ToLowerInvariant(), t.Customers, t.MeanRetentionScore, t.MeanChurnProbability))]);

    private static string? Lower<T>(T? value)
        where T : struct, Enum => value?.ToString().ToLowerInvariant();

    private static ExperimentsOutput Experiments(ExperimentsSummary e) => new(
        e.Source,
        e.Enrolments,
        [.. e.Playbooks.Select(p => new PlaybookExperimentOutput(
            p.Playbook,
            p.Rule,
            p.HoldoutShare,
            Arm(p.Overall),
            new ExpectedRangeOutput(p.ExpectedRange.Low.Fraction, p.ExpectedRange.High.Fraction, Finite(p.Expected.Lower), Finite(p.Expected.Upper), p.Expected.Verdict.ToString()),
            [.. p.Variants.Select(Arm)],
            [.. p.Offers.Select(Arm)],
            [.. p.Breakdowns.Select(b => new BreakdownOutput(b.Dimension, b.Value, b.Treated.Successes, b.Treated.Trials, b.Control.Successes, b.Control.Trials, b.Expected?.Verdict.ToString()))],
            p.Open,
            p.Needed is { } n ? new NeededOutput(n.Treated, n.Control) : null,
            p.Economics is { } m ? new EconomicsOutput(m.IncrementalMrr, m.IncrementalValue, m.OfferCost, m.Return) : null))],
        [.. e.Incentives.Select(Arm)]);

    private static ArmOutput Arm(ArmComparison a) => new(
        a.Name,
        a.Treated.Successes,
        a.Treated.Trials,
        a.Control.Successes,
        a.Control.Trials,
        Finite(a.Uplift.Difference),
        Finite(a.Uplift.Lower),
        Finite(a.Uplift.Upper),
        Finite(a.Uplift.PValue),
        Finite(a.Sequential.Lower),
        Finite(a.Sequential.Upper),
        a.AdjustedPValue,
        a.Verdict.ToString(),
        a.Expected?.Verdict.ToString());

    private static double? Finite(double x) => double.IsFinite(x) ? x : null;

    private static PlaybooksOutput Playbooks(PlaybookSummary p) => new(
        Date(p.AsOf),
        p.Customers,
        p.Started,
        p.Actions.Length,
        [.. p.ByPlaybook.Select(x => new PlaybookCountOutput(x.Playbook, x.Started, x.Due))],
        p.ByChannel.ToDictionary(x => x.Channel, x => x.Due, StringComparer.Ordinal),
        [.. p.Actions.Select(a => new ActionOutput(a.Customer.Value, a.Playbook, a.Step, a.Channel.ToString(), a.Owner.ToString(), Date(a.DueOn), a.Key, a.Template, a.Subject, a.Body))],
        p.Journey is { } j ? new JourneyOutput(j.Customer.Value, [.. j.Steps.Select(x => new JourneyStepOutput(x.Day, x.Playbook, x.Step, x.Channel.ToString()))]) : null);

    private static ProbabilisticOutput Probabilistic(ProbabilisticSummary p)
    {
        PurchasesOutput? purchases = null;
        if (p.Purchases is { } m)
        {
            purchases = new PurchasesOutput(
                m.Transactions,
                Date(m.CalibrationEnd),
                ProbabilisticStage.HoldoutWeeks,
                new BgNbdOutput(m.Calibrated.R, m.Calibrated.Alpha, m.Calibrated.A, m.Calibrated.B),
                Math.Round(m.PredictedTotal, 2),
                m.ActualTotal,
                [.. m.ByFrequency.Select(row => new FrequencyOutput(row.Frequency, row.Customers, Math.Round(row.Predicted, 4), Math.Round(row.Actual, 4)))],
                new PAliveOutput(m.Customers, Math.Round(m.ProbabilityAlive.Average(), 4), m.ProbabilityAlive.Count(a => a >= 0.5)),
                m.Clv.IsEmpty ? null : new PurchaseClvOutput(ProbabilisticStage.ClvMonths, ProbabilisticStage.MonthlyDiscount, Math.Round(m.Clv[m.Clv.Length / 2], 2), Math.Round(m.Clv.Average(), 2), Math.Round(m.Clv.Sum(), 2)))
            {
                Models = m.Comparison is { } c ? [.. c.Models.Select(ModelAssessmentOutput.From)] : null,
                Winner = m.Comparison?.Winner,
                Tracking = m.TrackingActual.IsEmpty ? null : new TrackingOutput([.. m.TrackingActual], [.. m.TrackingExpected.Select(v => Math.Round(v, 2))]),
                AliveGrid = m.AliveGrid.IsEmpty ? null : new AliveGridOutput(m.AliveAge, [.. m.AliveRecencies], [.. m.AliveGrid.Select(row => (IReadOnlyList<double?>)[.. row.Select(v => v is { } a ? Math.Round(a, 4) : (double?)null)])]),
            };
        }

        return new ProbabilisticOutput(
            purchases,
            [.. p.Survival.Select(x => new SurvivalOutput(x.Cohort, x.Curve.Subjects, x.Curve.Steps.Sum(s => s.Events), x.Curve.Median is { } median ? Math.Round(median, 2) : null, Math.Round(x.FollowUpMonths, 2)))]);
    }

    private static Dictionary<string, int> Counts<T>(ImmutableArray<(T Key, int Count)> counts)
        where T : struct, Enum =>
        counts.ToDictionary(x => Camel(x.Key.ToString()), x => x.Count, StringComparer.Ordinal);

    private static double? Defined(double value) => double.IsNaN(value) ? null : value;

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static string Date(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);

    private static string Month(YearMonth month) => month.ToString("uuuu-MM", CultureInfo.InvariantCulture);
}
