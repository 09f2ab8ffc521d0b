using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RetentionKit.Scoring.Tests.Calibration;

public sealed class CalibrationReportTests
{
    [Fact]
    public void Auc_and_brier_follow_their_definitions()
    {
        // Churners at 0.35 and 0.8, stayers at 0.1 and 0.4: 3 of the 4 churner–stayer pairs are ranked right.
        var report = CalibrationReport.Evaluate([0.1, 0.4, 0.35, 0.8], [false, false, true, true]);

        Assert.Equal(4, report.Examples);
        Assert.Equal(2, report.Churned);
        Assert.Equal(0.75, report.Auc, 12);
        Assert.Equal((0.01 + 0.16 + 0.4225 + 0.04) / 4, report.BrierScore, 12);
    }

    [Theory]
    [InlineData(new[] { 0.9, 0.8, 0.2, 0.1 }, 1.0)]
    [InlineData(new[] { 0.1, 0.2, 0.8, 0.9 }, 0.0)]
    [InlineData(new[] { 0.5, 0.5, 0.5, 0.5 }, 0.5)] // ties count half
    [InlineData(new[] { 0.7, 0.3, 0.7, 0.1 }, 0.625)] // (½ + 1 + 0 + 1) ÷ 4: churner 0.7 ties stayer 0.7
    public void Auc_ranks_churners_against_stayers_with_ties_counting_half(double[] predicted, double auc) =>
        Assert.Equal(auc, CalibrationReport.Evaluate(predicted, [true, true, false, false]).Auc, 12);

    // Every band holds exactly the examples with from ≤ p < to (the last also p = 1), its mean and observed rate theirs,
    // and the AUC is the share of churner–stayer pairs ranked right (ties half), pair by pair: the definitions, literally,
    // against the one-pass table and the sorted ranks; probabilities on band edges (k / bins and their neighbours) included.
    [Property(MaxTest = 300)]
    public Property The_table_and_the_auc_follow_their_definitions() =>
        Prop.ForAll(
            (from bins in Gen.Choose(1, 12)
             from points in Gen.ListOf(from k in Gen.Choose(0, 3 * bins) from nudge in Gen.Elements(-1, 0, 1) select (k, nudge)).Where(p => p.Count >= 2)
             from churned in Gen.ListOf(ArbMap.Default.GeneratorFor<bool>(), points.Count)
             select (bins, points, churned)).ToArbitrary(),
            c =>
            {
                var predicted = c.points.Select(p => Math.Clamp(p.nudge switch { -1 => Math.BitDecrement(p.k / (3d * c.bins)), 1 => Math.BitIncrement(p.k / (3d * c.bins)), _ => p.k / (3d * c.bins) }, 0, 1)).ToArray();
                var churned = c.churned.ToArray();
                churned[0] = true;
                churned[1] = false;
                var report = CalibrationReport.Evaluate(predicted, churned, c.bins);
                var pairs = Enumerable.Range(0, predicted.Length).Where(i => churned[i]).SelectMany(i => Enumerable.Range(0, predicted.Length).Where(j => !churned[j]).Select(j => predicted[i] > predicted[j] ? 1d : predicted[i] == predicted[j] ? 0.5 : 0d)).ToList();
                return Math.Abs(report.Auc - pairs.Average()) < 1e-12 && report.Table.Select((band, b) =>
                {
                    var members = Enumerable.Range(0, predicted.Length).Where(i => predicted[i] >= band.From && (predicted[i] < band.To || (b == c.bins - 1 && predicted[i] <= 1d))).ToList();
                    return band.Count == members.Count && (members.Count == 0
                        ? double.IsNaN(band.MeanPredicted) && double.IsNaN(band.ObservedRate)
                        : band.MeanPredicted == members.Average(i => predicted[i]) && band.ObservedRate == members.Count(i => churned[i]) / (double)members.Count);
                }).All(ok => ok);
            });

    [Fact]
    public void The_table_has_equal_width_bands_holding_every_example_once()
    {
        double[] predicted = [0.0, 0.05, 0.1, 0.15, 0.55, 0.99, 1.0];
        bool[] churned = [false, false, true, false, true, true, true];

        var table = CalibrationReport.Evaluate(predicted, churned, bins: 4).Table;

        Assert.Equal([0, 0.25, 0.5, 0.75], table.Select(b => b.From).ToArray());
        Assert.Equal([0.25, 0.5, 0.75, 1.0], table.Select(b => b.To).ToArray());
        Assert.Equal([4, 0, 1, 2], table.Select(b => b.Count).ToArray()); // 1.0 belongs to the last band
        Assert.Equal(0.075, table[0].MeanPredicted, 12);
        Assert.Equal(0.25, table[0].ObservedRate, 12);
        Assert.True(double.IsNaN(table[1].MeanPredicted) && double.IsNaN(table[1].ObservedRate));
        Assert.Equal(1.0, table[3].ObservedRate, 12);
    }

    [Fact]
    public void Bad_input_is_rejected_naming_the_argument()
    {
        Assert.Equal("churned", Assert.Throws<ArgumentException>(() => CalibrationReport.Evaluate([0.1, 0.2], [true])).ParamName);
        Assert.Equal("churned", Assert.Throws<ArgumentException>(() => CalibrationReport.Evaluate([0.1, 0.2], [true, true])).ParamName);
        Assert.Equal("churned", Assert.Throws<ArgumentException>(() => CalibrationReport.Evaluate([0.1, 0.2], [false, false])).ParamName);
        Assert.Equal("predicted", Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationReport.Evaluate([0.1, double.NaN], [true, false])).ParamName);
        Assert.Equal("predicted", Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationReport.Evaluate([1.01, 0.2], [true, false])).ParamName);
        Assert.Equal("predicted", Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationReport.Evaluate([-0.01, 0.2], [true, false])).ParamName);
        Assert.Equal("bins", Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationReport.Evaluate([0.1, 0.2], [true, false], 0)).ParamName);
        Assert.Throws<ArgumentNullException>(() => CalibrationReport.Evaluate(null!, [true]));
        Assert.Throws<ArgumentNullException>(() => CalibrationReport.Evaluate([0.1], null!));
    }
}

public sealed class ChurnCalibrationTests
{
    private static readonly ScoringEngine Engine = Snapshots.DefaultEngine;

    /// <summary>
    /// A seeded history in which a low NPS and low feature use make churn likelier: churn probability
    /// 5 % + 40 % × [NPS below 7] + 25 % × [features below 30 %].
    /// </summary>
    private static List<LabelledSnapshot> History(int count, int seed)
    {
        var random = new Random(seed);
        var examples = new List<LabelledSnapshot>(count);
        for (var i = 0; i < count; i++)
        {
            var nps = random.Next(0, 11);
            var features = random.NextDouble();
            var snapshot = Snapshots.Healthy("c" + i) with { Nps = nps, FeatureShare = features, RoiMultiple = random.Next(0, 4) == 0 ? null : 3 };
            var p = 0.05 + (nps < 7 ? 0.40 : 0) + (features < 0.3 ? 0.25 : 0);
            examples.Add(new LabelledSnapshot(snapshot, random.NextDouble() < p));
        }

        return examples;
    }

    [Fact]
    public void The_fit_finds_the_features_that_drive_churn_and_ranks_better_than_chance()
    {
        var fit = ChurnCalibration.Fit(Engine, History(3000, 1), horizonDays: 90);

        Assert.True(fit.Coefficients["signal.NegativeFeedback"] > 1, $"NegativeFeedback {fit.Coefficients["signal.NegativeFeedback"]}");
        Assert.True(fit.Coefficients["signal.ReducedUsage"] > 0.5, $"ReducedUsage {fit.Coefficients["signal.ReducedUsage"]}");
        Assert.False(fit.Coefficients.ContainsKey("signal.CompetitorTrial"), "a term that never varies is left out");
        Assert.Contains(fit.Dropped, d => d.Term == "signal.CompetitorTrial" && d.Reason.StartsWith("constant: every example has 0", StringComparison.Ordinal));
        Assert.Equal(90, fit.HorizonDays);
        Assert.InRange(fit.Iterations, 2, 100);
        Assert.True(fit.GradientNorm < 1e-6, $"gradient norm {fit.GradientNorm}");
        Assert.True(fit.Training.Auc > 0.7, $"AUC {fit.Training.Auc}");
        Assert.Equal(3000, fit.Training.Examples);
        Assert.Equal(Engine.ModelTerms.Length, fit.Coefficients.Count + fit.Dropped.Length);
        Assert.Equal(Engine.Signals.Length + (2 * Engine.Components.Length) + Engine.RedFlags.Length, Engine.ModelTerms.Length);
    }

    [Fact]
    public void The_calibrated_probability_is_the_logistic_of_the_fitted_features()
    {
        var fit = ChurnCalibration.Fit(Engine, History(1000, 2), horizonDays: 90);
        var snapshot = Snapshots.Healthy() with { Nps = 3, FeatureShare = 0.1, RoiMultiple = null };

        var score = Engine.WithCalibration(fit).Score(snapshot);

        var z = fit.Intercept;
        foreach (var signal in score.Risk.Signals.Where(s => s.State == SignalState.Active))
        {
            z += fit.Coefficients.GetValueOrDefault("signal." + signal.Key.Name);
        }

        foreach (var component in score.Retention.Components)
        {
            z += component.Value is { } v
                ? fit.Coefficients.GetValueOrDefault("component." + component.Key.Name) * v / 100
                : fit.Coefficients.GetValueOrDefault("component." + component.Key.Name + ".missing");
        }

        foreach (var flag in score.Risk.RedFlags)
        {
            z += fit.Coefficients.GetValueOrDefault("redflag." + flag.Name);
        }

        Assert.NotEmpty(score.Risk.RedFlags);
        Assert.Equal(1 / (1 + Math.Exp(-z)), score.Risk.ChurnProbability!.Value, 12);
        Assert.True((score.Notes & ScoreNotes.Calibrated) != 0);
        Assert.True((score.Notes & ScoreNotes.RedFlagFloorApplied) == 0, "red-flag floors do not apply to a calibration");
    }

    [Fact]
    public void WithCalibration_and_options_give_the_same_engine_and_leave_the_original_alone()
    {
        var fit = ChurnCalibration.Fit(Engine, History(1000, 3), horizonDays: 60);
        var options = new ScoringOptions();
        fit.ApplyTo(options.Calibration);
        var configured = new ScoringEngine(options);
        var swapped = Engine.WithCalibration(fit);
        var snapshot = Snapshots.Healthy() with { Nps = 5, CompetitorTrials = 1, AlternativeSearches = 1 };

        Assert.True(options.Calibration.Enabled);
        Assert.Equal(60, options.Calibration.HorizonDays);
        Assert.Equal(fit.Intercept, options.Calibration.Intercept);
        Assert.True(configured.IsCalibrated && swapped.IsCalibrated);
        Assert.False(Engine.IsCalibrated);
        Assert.Equal(configured.Score(snapshot).Risk.ChurnProbability, swapped.Score(snapshot).Risk.ChurnProbability);
        Assert.NotEqual(Engine.Score(snapshot).Risk.ChurnProbability, swapped.Score(snapshot).Risk.ChurnProbability);
    }

    [Fact]
    public void A_fit_that_cannot_be_made_says_why()
    {
        var history = History(200, 4);
        var stayers = history.Select(e => e with { Churned = false }).ToList();

        Assert.Equal("examples", Assert.Throws<ArgumentException>(() => ChurnCalibration.Fit(Engine, stayers, 90)).ParamName);
        Assert.Equal("examples", Assert.Throws<ArgumentException>(() => ChurnCalibration.Fit(Engine, history.Take(3).ToList(), 90)).ParamName);
        Assert.Equal("horizonDays", Assert.Throws<ArgumentOutOfRangeException>(() => ChurnCalibration.Fit(Engine, history, 0)).ParamName);
        Assert.Equal("ridge", Assert.Throws<ArgumentOutOfRangeException>(() => ChurnCalibration.Fit(Engine, history, 90, ridge: -1)).ParamName);
        Assert.Equal("maxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => ChurnCalibration.Fit(Engine, history, 90, maxIterations: 0)).ParamName);
        var stuck = Assert.Throws<InvalidOperationException>(() => ChurnCalibration.Fit(Engine, history, 90, maxIterations: 1));
        Assert.Contains("did not converge in 1 iterations", stuck.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => Engine.WithCalibration(null!));
    }
}

public sealed class CalibrationReportMeasuresTests
{
    [Fact]
    public void Log_loss_calibration_in_the_large_and_expected_calibration_error_follow_their_definitions()
    {
        // Predicted 0.2, 0.2, 0.9, 0.9 against stayed, churned, churned, churned.
        var report = CalibrationReport.Evaluate([0.2, 0.2, 0.9, 0.9], [false, true, true, true]);

        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.2) + (2 * Math.Log(0.9))) / 4, report.LogLoss, 12);
        Assert.Equal(((0.2 + 0.2 + 0.9 + 0.9) - 3) / 4, report.CalibrationInTheLarge, 12);
        // Band 0.2–0.3: mean 0.2, observed 0.5; band 0.9–1: mean 0.9, observed 1.
        Assert.Equal((0.5 * 0.3) + (0.5 * 0.1), report.ExpectedCalibrationError, 12);
    }
}
