using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace RetentionKit.Scoring.Tests.Model;

/// <summary>
/// Real data as the yardstick: the IBM Telco churn sample mapped through the public API only, the way
/// docs/scoring-your-own-data.md tells a team to map theirs, fitted on a fixed stratified 70 % and judged on the other 30 %.
/// </summary>
public sealed class TelcoTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Lazy<TelcoRun> Run = new(TelcoRun.Execute);

    [Fact]
    public void The_held_out_customers_are_ranked_and_calibrated_as_a_plain_logistic_model_would()
    {
        var run = Run.Value;
        var high = run.Scores.Count(s => s.Level == RiskLevel.High);
        output.WriteLine(FormattableString.Invariant($"Telco held-out: AUC {run.Test.Auc:F4}, Brier {run.Test.BrierScore:F4}, log loss {run.Test.LogLoss:F4}, CITL {run.Test.CalibrationInTheLarge:F4}, ECE {run.Test.ExpectedCalibrationError:F4}; ridge {run.Calibration.Ridge}; High {high} of {run.Scores.Count}"));

        Assert.Equal(7043, run.Customers);
        Assert.Equal(4930, run.Training);
        Assert.Equal(2113, run.Test.Examples);
        Assert.True(run.Test.Auc >= 0.835, $"test AUC {run.Test.Auc:F4}");
        Assert.True(run.Test.BrierScore <= 0.14, $"test Brier {run.Test.BrierScore:F4}");
        Assert.True(run.Test.LogLoss < 0.45, $"test log loss {run.Test.LogLoss:F4}");
        Assert.InRange(run.Test.CalibrationInTheLarge, -0.03, 0.03);
    }

    [Fact]
    public void The_deployed_options_and_the_batch_path_give_the_fitted_probabilities()
    {
        var run = Run.Value;

        Assert.Equal(run.FittedProbabilities, run.DeployedProbabilities);
        Assert.Equal(run.FittedProbabilities, run.BatchProbabilities);
    }

    [Fact]
    public void Levels_follow_the_calibrated_probability()
    {
        var run = Run.Value;

        // No "High" customer with a probability under 70 %, no "Low" one at 40 % or more: the level is cut on the
        // probability (the rule-of-thumb bands made 4,934 of 7,043 "High", 1,642 of them under 20 %).
        Assert.All(run.Scores, s => Assert.Equal(s.Probability >= 0.7 ? RiskLevel.High : s.Probability >= 0.4 ? RiskLevel.Medium : RiskLevel.Low, s.Level));
        var high = run.Scores.Where(s => s.Level == RiskLevel.High).ToList();
        Assert.InRange(high.Count(s => s.Churned) / (double)high.Count, 0.6, 1.0);
    }

    [Fact]
    public void The_eleven_blank_total_charges_are_the_customers_not_yet_billed()
    {
        var blank = TelcoRun.Read().Where(r => r.TotalChargesBlank).ToList();

        Assert.Equal(11, blank.Count);
        Assert.All(blank, r => Assert.Equal(0, r.Tenure));
    }

    [Fact]
    public void The_coefficient_table_says_what_a_telecom_analyst_expects()
    {
        var fit = Run.Value.Calibration;

        Assert.True(fit.Coefficients["feature.Contract=Two year"] < fit.Coefficients["feature.Contract=One year"]);
        Assert.True(fit.Coefficients["feature.Contract=One year"] < 0);
        Assert.True(fit.Coefficients["feature.tenure"] < 0, "longer-tenured customers churn less");
        Assert.True(fit.Terms.Single(t => t.Term == "feature.InternetService=Fiber optic").OddsRatio > 1);
        Assert.All(fit.Terms, t => Assert.True(t.StandardError > 0 && double.IsFinite(t.StandardError), t.Term));
        Assert.Contains(fit.Dropped, d => d.Term == "feature.TotalCharges.missing");
    }

    /// <summary>One customer of the file.</summary>
    internal sealed record TelcoRow(string Id, Dictionary<string, string> Columns, int Tenure, double MonthlyCharges, double TotalCharges, bool TotalChargesBlank, bool Churned);

    /// <summary>The mapping, the fit and the evaluation, done once for all the tests above.</summary>
    internal sealed record TelcoRun(
        int Customers,
        int Training,
        CalibrationReport Test,
        ChurnCalibration Calibration,
        List<double> FittedProbabilities,
        List<double> DeployedProbabilities,
        List<double> BatchProbabilities,
        List<(double Probability, RiskLevel Level, bool Churned)> Scores)
    {
        public static IReadOnlyList<TelcoRow> Read()
        {
            var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "telco_customer_churn.csv"));
            var header = lines[0].Split(',');
            return [.. lines.Skip(1).Select(line =>
            {
                var cells = line.Split(',');
                var columns = header.Zip(cells).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
                var total = columns["TotalCharges"].Trim();
                return new TelcoRow(
                    columns["customerID"],
                    columns,
                    int.Parse(columns["tenure"], CultureInfo.InvariantCulture),
                    double.Parse(columns["MonthlyCharges"], CultureInfo.InvariantCulture),
                    total.Length == 0 ? 0 : double.Parse(total, CultureInfo.InvariantCulture),
                    total.Length == 0,
                    columns["Churn"] == "Yes");
            })];
        }

        public static TelcoRun Execute()
        {
            var rows = Read();
            var examples = rows.Select(r => new LabelledSnapshot(TelcoMapping.Snapshot(r.Id, r.Columns, r.Tenure, r.MonthlyCharges, r.TotalCharges), r.Churned)).ToList();

            // A fixed, stratified 70/30 split: each outcome shuffled with seed 2024, its first 70 % for training.
            var random = new Random(2024);
            var train = new List<int>();
            var test = new List<int>();
            foreach (var outcome in new[] { false, true })
            {
                var members = Enumerable.Range(0, rows.Count).Where(i => rows[i].Churned == outcome).ToArray();
                random.Shuffle(members);
                var cut = (int)Math.Round(members.Length * 0.7);
                train.AddRange(members.Take(cut));
                test.AddRange(members.Skip(cut));
            }

            train.Sort();
            test.Sort();
            var engine = TelcoMapping.Engine();
            var fit = ChurnCalibration.Fit(engine, [.. train.Select(i => examples[i])], new CalibrationFitOptions { HorizonDays = 30 });

            // Deployment as options: the fitted calibration written into the options an engine is built from.
            var options = TelcoMapping.Options();
            fit.ApplyTo(options.Calibration);
            var deployed = new ScoringEngine(options, features: TelcoMapping.Features);
            var calibrated = engine.WithCalibration(fit);

            var explained = test.Select(i => calibrated.Score(examples[i].Snapshot)).ToList();
            var batch = deployed.CreateBatch(test.Count);
            for (var k = 0; k < test.Count; k++)
            {
                batch.Write(k, examples[test[k]].Snapshot);
            }

            var results = new BatchScore[test.Count];
            deployed.ScoreBatch(batch, results);
            var outcomes = test.Select(i => rows[i].Churned).ToList();
            var fitted = explained.Select(s => s.Risk.ChurnProbability!.Value).ToList();
            return new TelcoRun(
                rows.Count,
                train.Count,
                CalibrationReport.Evaluate(fitted, outcomes),
                fit,
                fitted,
                [.. test.Select(i => deployed.Score(examples[i].Snapshot).Risk.ChurnProbability!.Value)],
                [.. results.Select(r => r.ChurnProbability)],
                [.. explained.Select((s, k) => (s.Risk.ChurnProbability!.Value, s.Risk.Level, outcomes[k]))]);
        }
    }
}
