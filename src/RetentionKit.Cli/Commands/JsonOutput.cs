using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using RetentionKit.Cli.Pipeline;

namespace RetentionKit.Cli.Commands;

/// <summary>The machine-readable results of a pipeline run (the <c>--json</c> contract; docs/data-formats.md).</summary>
internal static class JsonOutput
{
    public static string Pipeline(string command, PipelineResult r, string? reportPath)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("command", command);
            w.WriteString("asOf", r.AsOf.ToString("uuuu-MM-dd", null));
            w.WriteString("currency", r.Currency.Code);
            w.WriteStartObject("data");
            w.WriteNumber("customers", r.Data.Customers);
            w.WriteNumber("subscriptionEvents", r.Data.SubscriptionEvents);
            w.WriteNumber("activityRows", r.Data.ActivityRows);
            w.WriteNumber("feedbackRows", r.Data.FeedbackRows);
            w.WriteNumber("groundTruthChurns", r.Data.GroundTruthChurns);
            w.WriteEndObject();

            w.WriteStartArray("months");
            foreach (var p in r.Subscriptions.Periods)
            {
                w.WriteStartObject();
                w.WriteString("month", p.Month.ToString("uuuu-MM", null));
                w.WriteNumber("startingMrr", p.Mrr.Starting.Round().Amount);
                w.WriteNumber("newMrr", p.Mrr.NewBusiness.Round().Amount);
                w.WriteNumber("expansionMrr", p.Mrr.Expansion.Round().Amount);
                w.WriteNumber("reactivationMrr", p.Mrr.Reactivation.Round().Amount);
                w.WriteNumber("contractionMrr", p.Mrr.Contraction.Round().Amount);
                w.WriteNumber("churnedMrr", p.Mrr.Churn.Round().Amount);
                w.WriteNumber("endingMrr", p.Mrr.Ending.Round().Amount);
                w.WriteNumber("startingCustomers", p.Customers.Starting);
                w.WriteNumber("newCustomers", p.Customers.New);
                w.WriteNumber("reactivatedCustomers", p.Customers.Reactivated);
                w.WriteNumber("churnedCustomers", p.Customers.Churned);
                w.WriteNumber("endingCustomers", p.Customers.Ending);
                Nullable(w, "churnRate", p.Customers.ChurnRate?.Fraction);
                Nullable(w, "nrr", p.RevenueRetention?.Nrr.Fraction);
                Nullable(w, "grr", p.RevenueRetention?.Grr.Fraction);
                w.WriteEndObject();
            }

            w.WriteEndArray();

            w.WriteStartArray("cohorts");
            foreach (var c in r.Subscriptions.Cohorts)
            {
                w.WriteStartObject();
                w.WriteString("cohort", c.Cohort.ToString("uuuu-MM", null));
                w.WriteNumber("size", c.Size);
                w.WriteStartArray("customerRetention");
                foreach (var cell in c.Cells)
                {
                    w.WriteNumberValue(cell.CustomerRetention.Fraction);
                }

                w.WriteEndArray();
                w.WriteStartArray("revenueRetention");
                foreach (var cell in c.Cells)
                {
                    if (cell.RevenueRetention is { } rr)
                    {
                        w.WriteNumberValue(rr.Fraction);
                    }
                    else
                    {
                        w.WriteNullValue();
                    }
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();

            w.WriteStartObject("retention");
            Nullable(w, "annualCustomerRetention", r.Subscriptions.AnnualCustomerRetention?.Fraction);
            Nullable(w, "reactivationRate", r.Subscriptions.ReactivationRate?.Fraction);
            w.WriteEndObject();

            w.WriteStartObject("churnByReason");
            foreach (var (reason, tally) in r.Subscriptions.ChurnByReason)
            {
                w.WriteStartObject(reason);
                w.WriteNumber("customers", tally.Customers);
                w.WriteNumber("mrr", tally.Mrr.Round().Amount);
                w.WriteEndObject();
            }

            w.WriteEndObject();

            w.WriteStartObject("satisfaction");
            Nullable(w, "nps", r.Nps.Score);
            w.WriteNumber("npsResponses", r.Nps.Responses);
            Nullable(w, "csat", r.Csat.Score?.Fraction);
            w.WriteEndObject();

            w.WriteStartArray("kpis");
            foreach (var k in r.Scorecard)
            {
                w.WriteStartObject();
                w.WriteString("kpi", k.Kpi.ToString());
                Nullable(w, "actual", k.Actual);
                w.WriteNumber("target", k.Target);
                Nullable(w, "targetMax", k.TargetMax);
                w.WriteString("status", k.Status.ToString());
                w.WriteEndObject();
            }

            w.WriteEndArray();

            if (r.Clv is { } clv)
            {
                w.WriteStartObject("clv");
                w.WriteNumber("customers", clv.Values.Length);
                w.WriteNumber("monthlyChurn", clv.MonthlyChurn.Fraction);
                w.WriteNumber("grossMargin", clv.GrossMargin.Fraction);
                w.WriteNumber("mean", decimal.Round(clv.Mean, 2));
                w.WriteNumber("p10", decimal.Round(clv.Percentile(0.1), 2));
                w.WriteNumber("median", decimal.Round(clv.Percentile(0.5), 2));
                w.WriteNumber("p90", decimal.Round(clv.Percentile(0.9), 2));
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("clv");
            }

            Scoring(w, r.Scoring);
            Segmentation(w, r.Segmentation);
            Loyalty(w, r.Loyalty);
            Playbooks(w, r.Playbooks);
            Probabilistic(w, r.Probabilistic);

            if (reportPath is null)
            {
                w.WriteNull("report");
            }
            else
            {
                w.WriteString("report", reportPath);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string Simulation(int customers, int months, int seed, string directory, RetentionKit.Cli.Data.DataSet data)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("command", "simulate");
            w.WriteNumber("customers", customers);
            w.WriteNumber("months", months);
            w.WriteNumber("seed", seed);
            w.WriteString("out", directory);
            w.WriteStartObject("rows");
            w.WriteNumber("customers", data.Customers.Count);
            w.WriteNumber("subscriptionEvents", data.Events.Count);
            w.WriteNumber("activity", data.Activity.Count);
            w.WriteNumber("feedback", data.Feedback.Count);
            w.WriteNumber("churnTruth", data.Churns.Count);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string Error(string message, int exitCode)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteNumber("exitCode", exitCode);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Probabilistic(Utf8JsonWriter w, ProbabilisticSummary p)
    {
        w.WriteStartObject("probabilistic");
        if (p.Purchases is { } m)
        {
            w.WriteStartObject("purchases");
            w.WriteNumber("transactions", m.Transactions);
            w.WriteString("calibrationEnd", m.CalibrationEnd.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture));
            w.WriteNumber("holdoutWeeks", ProbabilisticStage.HoldoutWeeks);
            w.WriteStartObject("bgnbd");
            w.WriteNumber("r", m.Calibrated.R);
            w.WriteNumber("alpha", m.Calibrated.Alpha);
            w.WriteNumber("a", m.Calibrated.A);
            w.WriteNumber("b", m.Calibrated.B);
            w.WriteEndObject();
            w.WriteNumber("predicted", Math.Round(m.PredictedTotal, 2));
            w.WriteNumber("actual", m.ActualTotal);
            w.WriteStartArray("byFrequency");
            foreach (var row in m.ByFrequency)
            {
                w.WriteStartObject();
                w.WriteString("frequency", row.Frequency);
                w.WriteNumber("customers", row.Customers);
                w.WriteNumber("predicted", Math.Round(row.Predicted, 4));
                w.WriteNumber("actual", Math.Round(row.Actual, 4));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("pAlive");
            w.WriteNumber("customers", m.Customers);
            w.WriteNumber("mean", Math.Round(m.ProbabilityAlive.Average(), 4));
            w.WriteNumber("likelyAlive", m.ProbabilityAlive.Count(a => a >= 0.5));
            w.WriteEndObject();
            if (m.Clv.IsEmpty)
            {
                w.WriteNull("clv");
            }
            else
            {
                w.WriteStartObject("clv");
                w.WriteNumber("months", ProbabilisticStage.ClvMonths);
                w.WriteNumber("monthlyDiscount", ProbabilisticStage.MonthlyDiscount);
                w.WriteNumber("median", Math.Round(m.Clv[m.Clv.Length / 2], 2));
                w.WriteNumber("mean", Math.Round(m.Clv.Average(), 2));
                w.WriteNumber("total", Math.Round(m.Clv.Sum(), 2));
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("purchases");
        }

        w.WriteStartArray("survival");
        foreach (var x in p.Survival)
        {
            w.WriteStartObject();
            w.WriteString("cohort", x.Cohort);
            w.WriteNumber("customers", x.Curve.Subjects);
            w.WriteNumber("cancelled", x.Curve.Steps.Sum(s => s.Events));
            Nullable(w, "medianMonths", x.Curve.Median is { } median ? Math.Round(median, 2) : null);

            w.WriteNumber("followUpMonths", Math.Round(x.FollowUpMonths, 2));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Playbooks(Utf8JsonWriter w, PlaybookSummary p)
    {
        w.WriteStartObject("playbooks");
        w.WriteString("asOf", p.AsOf.ToString("uuuu-MM-dd", null));
        w.WriteNumber("customers", p.Customers);
        w.WriteNumber("enrolmentsStarted", p.Started);
        w.WriteNumber("stepsDue", p.Actions.Length);
        w.WriteStartArray("byPlaybook");
        foreach (var x in p.ByPlaybook)
        {
            w.WriteStartObject();
            w.WriteString("playbook", x.Playbook);
            w.WriteNumber("started", x.Started);
            w.WriteNumber("due", x.Due);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("byChannel");
        foreach (var (channel, due) in p.ByChannel)
        {
            w.WriteNumber(channel, due);
        }

        w.WriteEndObject();
        w.WriteStartArray("actions");
        foreach (var a in p.Actions)
        {
            w.WriteStartObject();
            w.WriteString("customer", a.Customer.Value);
            w.WriteString("playbook", a.Playbook);
            w.WriteString("step", a.Step);
            w.WriteString("channel", a.Channel.ToString());
            w.WriteString("owner", a.Owner.ToString());
            w.WriteString("dueOn", a.DueOn.ToString("uuuu-MM-dd", null));
            w.WriteString("idempotencyKey", a.Key);
            w.WriteString("template", a.Template);
            w.WriteString("subject", a.Subject);
            w.WriteString("body", a.Body);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (p.Journey is { } j)
        {
            w.WriteStartObject("journey");
            w.WriteString("customer", j.Customer.Value);
            w.WriteStartArray("steps");
            foreach (var step in j.Steps)
            {
                w.WriteStartObject();
                w.WriteNumber("day", step.Day);
                w.WriteString("playbook", step.Playbook);
                w.WriteString("step", step.Step);
                w.WriteString("channel", step.Channel.ToString());
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("journey");
        }

        w.WriteEndObject();
    }

    private static void Loyalty(Utf8JsonWriter w, LoyaltySummary l)
    {
        w.WriteStartObject("loyalty");
        w.WriteNumber("members", l.Members);
        w.WriteNumber("postings", l.Postings);
        w.WriteNumber("redemptions", l.Redemptions);
        w.WriteNumber("outstandingPoints", l.Outstanding);
        w.WriteStartArray("tiers");
        foreach (var t in l.Tiers)
        {
            w.WriteStartObject();
            w.WriteString("tier", t.Tier);
            w.WriteNumber("from", t.From);
            w.WriteNumber("customers", t.Customers);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("pointsByMonth");
        foreach (var m in l.Months)
        {
            w.WriteStartObject();
            w.WriteString("month", m.Month.ToString("uuuu-MM", null));
            w.WriteNumber("earned", m.Earned);
            w.WriteNumber("redeemed", m.Redeemed);
            w.WriteNumber("expired", m.Expired);
            w.WriteNumber("clawedBack", m.ClawedBack);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        var f = l.Referrals;
        w.WriteStartObject("referrals");
        w.WriteNumber("assumedReferredShare", l.AssumedReferredShare);
        w.WriteNumber("codesIssued", f.CodesIssued);
        w.WriteNumber("attributed", f.Attributed);
        w.WriteNumber("flagged", f.Flagged);
        w.WriteNumber("qualified", f.Qualified);
        w.WriteNumber("reversed", f.Reversed);
        w.WriteNumber("expired", f.Expired);
        w.WriteNumber("limitReached", f.LimitReached);
        Nullable(w, "conversion", f.Conversion);
        w.WriteNumber("rewardCost", f.RewardCost.Amount);
        w.WriteNumber("reversedCost", f.ReversedCost.Amount);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Segmentation(Utf8JsonWriter w, SegmentationSummary s)
    {
        w.WriteStartObject("segmentation");
        w.WriteNumber("customers", s.Customers);
        if (s.Note is { } note)
        {
            w.WriteString("note", note);
        }

        w.WriteStartArray("valueSegments");
        foreach (var x in s.Distribution?.Segments ?? [])
        {
            w.WriteStartObject();
            w.WriteString("segment", x.Segment.ToString().ToLowerInvariant());
            w.WriteNumber("customers", x.Customers);
            w.WriteNumber("customerShare", x.CustomerShare);
            w.WriteNumber("revenue", decimal.Round(x.Revenue.Amount, 2));
            Nullable(w, "revenueShare", double.IsNaN(x.RevenueShare) ? null : x.RevenueShare);
            w.WriteBoolean("customerShareAtypical", x.CustomerShareAtypical);
            w.WriteBoolean("revenueShareAtypical", x.RevenueShareAtypical);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (s.Migration is { } m)
        {
            w.WriteStartObject("valueMigration");
            w.WriteString("from", m.From.ToString("uuuu-MM-dd", null));
            w.WriteString("to", m.To.ToString("uuuu-MM-dd", null));
            w.WriteStartArray("segments");
            foreach (var name in m.Segments)
            {
                w.WriteStringValue(name);
            }

            w.WriteEndArray();
            w.WriteStartArray("matrix");
            for (var f = 0; f < m.Segments.Length; f++)
            {
                w.WriteStartArray();
                for (var t = 0; t < m.Segments.Length; t++)
                {
                    w.WriteNumberValue(m.Count(f, t));
                }

                w.WriteEndArray();
            }

            w.WriteEndArray();
            Numbers(w, "startingCounts", m.StartingCounts.Select(x => (double)x));
            Numbers(w, "left", m.Left.Select(x => (double)x));
            Numbers(w, "entered", m.Entered.Select(x => (double)x));
            w.WriteNumber("upgrades", m.Upgrades ?? 0);
            w.WriteNumber("downgrades", m.Downgrades ?? 0);
            w.WriteNumber("stayed", m.Stayed);
            w.WriteStartArray("objectiveReached");
            foreach (var share in s.ObjectiveReached)
            {
                if (double.IsNaN(share))
                {
                    w.WriteNullValue();
                }
                else
                {
                    w.WriteNumberValue(share);
                }
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("valueMigration");
        }

        foreach (var mix in s.Mixes)
        {
            w.WriteStartObject(mix.Segmentation);
            foreach (var x in mix.Segments)
            {
                w.WriteNumber(x.Segment, x.Customers);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void Numbers(Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }

    private static void Scoring(Utf8JsonWriter w, ScoringSummary s)
    {
        w.WriteStartObject("scoring");
        w.WriteNumber("currentCustomers", s.CurrentCustomers);
        w.WriteStartObject("probability");
        w.WriteString("source", s.Probability.IsCalibrated ? "calibrated" : "ruleOfThumb");
        w.WriteString("label", s.Probability.Label);
        w.WriteNumber("trainingExamples", s.Probability.TrainingExamples);
        Nullable(w, "labelledTo", s.Probability.LabelledTo?.ToString("uuuu-MM", null));

        w.WriteEndObject();
        w.WriteNumber("mrr", s.Mrr);
        w.WriteNumber("mrrAtRisk", s.MrrAtRisk);
        Counts(w, "riskLevels", s.Levels);
        Counts(w, "retentionBands", s.Bands);
        w.WriteStartArray("topAtRisk");
        foreach (var c in s.TopAtRisk)
        {
            w.WriteStartObject();
            w.WriteString("customer", c.Customer.Value);
            w.WriteString("level", Camel(c.Level.ToString()));
            Nullable(w, "churnProbability", Defined(c.ChurnProbability));
            Nullable(w, "plan", c.Plan);
            Nullable(w, "mrr", c.Mrr);

            Nullable(w, "tenureMonths", (double?)c.TenureMonths);
            Strings(w, "drivers", c.Drivers);
            Nullable(w, "riskScore", Defined(c.RiskScore));
            Nullable(w, "retentionScore", c.RetentionScore);
            if (c.Band is { } band)
            {
                w.WriteString("band", Camel(band.ToString()));
            }
            else
            {
                w.WriteNull("band");
            }

            Strings(w, "reasons", c.Reasons);
            Strings(w, "redFlags", c.RedFlags);
            Strings(w, "actions", c.Actions);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("months");
        foreach (var m in s.Months)
        {
            w.WriteStartObject();
            w.WriteString("month", m.Month.ToString("uuuu-MM", null));
            w.WriteNumber("customers", m.Customers);
            Nullable(w, "meanRetentionScore", m.MeanRetentionScore);
            Nullable(w, "meanRiskScore", m.MeanRiskScore);
            Nullable(w, "meanChurnProbability", m.MeanChurnProbability);
            Counts(w, "riskLevels", m.Levels);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (s.Backtest is { } b)
        {
            w.WriteStartObject("backtest");
            w.WriteNumber("horizonDays", b.HorizonDays);
            w.WriteString("testFrom", b.TestFrom.ToString("uuuu-MM", null));
            w.WriteNumber("trainingExamples", b.TrainingExamples);
            w.WriteNumber("testExamples", b.TestExamples);
            w.WriteNumber("fitIterations", b.Calibration.Iterations);
            Report(w, "default", b.Default);
            Report(w, "calibrated", b.Calibrated);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("backtest");
        }

        Nullable(w, "note", s.Note);

        w.WriteEndObject();
    }

    private static void Report(Utf8JsonWriter w, string name, RetentionKit.Scoring.CalibrationReport report)
    {
        w.WriteStartObject(name);
        w.WriteNumber("examples", report.Examples);
        w.WriteNumber("churned", report.Churned);
        w.WriteNumber("auc", report.Auc);
        w.WriteNumber("brierScore", report.BrierScore);
        w.WriteNumber("logLoss", report.LogLoss);
        w.WriteNumber("calibrationInTheLarge", report.CalibrationInTheLarge);
        w.WriteNumber("expectedCalibrationError", report.ExpectedCalibrationError);
        w.WriteStartArray("table");
        foreach (var bin in report.Table)
        {
            w.WriteStartObject();
            w.WriteNumber("from", bin.From);
            w.WriteNumber("to", bin.To);
            w.WriteNumber("count", bin.Count);
            Nullable(w, "meanPredicted", Defined(bin.MeanPredicted));
            Nullable(w, "observedRate", Defined(bin.ObservedRate));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Counts<T>(Utf8JsonWriter w, string name, System.Collections.Immutable.ImmutableArray<(T Key, int Count)> counts)
        where T : struct, System.Enum
    {
        w.WriteStartObject(name);
        foreach (var (key, count) in counts)
        {
            w.WriteNumber(Camel(key.ToString()), count);
        }

        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, System.Collections.Immutable.ImmutableArray<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static double? Defined(double value) => double.IsNaN(value) ? null : value;

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>Writes the number, or null when there is none.</summary>
    internal static void Nullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>Writes the amount, or null when there is none.</summary>
    private static void Nullable(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>Writes the text, or null when there is none.</summary>
    private static void Nullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

}
