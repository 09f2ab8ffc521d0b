using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using static RetentionKit.Scoring.Tests.Model.ChurnModelTests;

namespace RetentionKit.Scoring.Tests.Model;

/// <summary>Fitting a data scientist would accept: standardised terms, ridge by cross-validation, separation and collinearity named, a coefficient table.</summary>
public sealed class ChurnCalibrationFitTests
{
    /// <summary>Customers drawn from a known logistic model: log-odds = 0.5 − 0.04 × tenure + 0.5 × paperless − 1 × [one year] − 2 × [two year].</summary>
    internal static List<LabelledSnapshot> TelcoLike(int count, int seed, double tenureScale = 1, LocalDate? day = null, ChurnFeature? tenureFeature = null)
    {
        var random = new Random(seed);
        var examples = new List<LabelledSnapshot>(count);
        for (var i = 0; i < count; i++)
        {
            var tenure = random.Next(0, 73);
            var paperless = random.Next(2) == 0;
            var contract = random.Next(3);
            var z = 0.5 - (0.04 * tenure) + (paperless ? 0.5 : 0) - (contract == 1 ? 1 : contract == 2 ? 2 : 0);
            var snapshot = new CustomerSnapshot(new CustomerId("t" + i), day ?? Snapshots.Day)
                .WithFeature(tenureFeature ?? Tenure, tenure * tenureScale)
                .WithFeature(Paperless, paperless)
                .WithFeature(Contract, Contract.Levels[contract]);
            examples.Add(new LabelledSnapshot(snapshot, random.NextDouble() < 1 / (1 + Math.Exp(-z))));
        }

        return examples;
    }

    internal static ChurnCalibration FitTelcoLike(ScoringEngine engine, int count, int seed) =>
        ChurnCalibration.Fit(engine, TelcoLike(count, seed), new CalibrationFitOptions());

    private static ScoringEngine Plain(params ChurnFeature[] features) =>
        new(new ScoringOptions { UseBuiltInSignals = false, UseBuiltInComponents = false, UseBuiltInRedFlags = false }.WithModelPlaceholder(), features: features);

    [Fact]
    public void The_fit_recovers_the_model_that_made_the_data_with_standard_errors_that_cover_it()
    {
        var fit = FitTelcoLike(FeaturesOnly(), 6000, 11);

        var tenure = fit.Terms.Single(t => t.Term == "feature.tenure");
        var twoYear = fit.Terms.Single(t => t.Term == "feature.contract=Two year");
        Assert.InRange(tenure.Coefficient, -0.04 - (3 * tenure.StandardError), -0.04 + (3 * tenure.StandardError));
        Assert.InRange(twoYear.Coefficient, -2 - (3 * twoYear.StandardError), -2 + (3 * twoYear.StandardError));
        Assert.Equal(Math.Exp(twoYear.Coefficient), twoYear.OddsRatio, 12);
        Assert.Equal(twoYear.Coefficient / twoYear.StandardError, twoYear.Z, 12);
        Assert.Equal(tenure.Coefficient * tenure.StandardDeviation, tenure.StandardisedCoefficient, 9);
        Assert.Contains(fit.Dropped, d => d.Term == "feature.tenure.missing");
        Assert.Equal(6, fit.CrossValidation.Length);
        Assert.Equal(fit.CrossValidation.MinBy(c => c.MeanLogLoss)!.Ridge, fit.Ridge);
        Assert.True(fit.Training.Auc > 0.7, $"AUC {fit.Training.Auc}");
        Assert.Empty(fit.Separation);
    }

    [Fact]
    public void Without_a_penalty_a_two_by_two_table_gives_the_textbook_log_odds_ratio_and_its_standard_error()
    {
        // Paperless: 30 churned of 100; paper: 10 churned of 100. log OR = ln((30 × 90) ÷ (70 × 10)), SE = √(1/30 + 1/70 + 1/10 + 1/90).
        var examples = new List<LabelledSnapshot>();
        void Add(bool paperless, bool churned, int count)
        {
            for (var i = 0; i < count; i++)
            {
                examples.Add(new LabelledSnapshot(new CustomerSnapshot(new CustomerId($"p{examples.Count}"), Snapshots.Day).WithFeature(Paperless, paperless), churned));
            }
        }

        Add(true, true, 30);
        Add(true, false, 70);
        Add(false, true, 10);
        Add(false, false, 90);

        var fit = ChurnCalibration.Fit(Plain(Paperless), examples, new CalibrationFitOptions { Ridge = 0 });

        var term = fit.Terms.Single(t => t.Term == "feature.paperless");
        Assert.Equal(Math.Log(30d * 90 / (70 * 10)), term.Coefficient, 9);
        Assert.Equal(Math.Sqrt((1 / 30d) + (1 / 70d) + (1 / 10d) + (1 / 90d)), term.StandardError, 9);
        Assert.Equal(Math.Log(10d / 90), fit.Intercept, 9);
        Assert.Equal(0, fit.Ridge);
        Assert.Empty(fit.CrossValidation);
    }

    [Fact]
    public void A_term_that_separates_the_outcomes_is_named_and_without_a_penalty_refused()
    {
        // Every paperless customer churned: the maximum-likelihood coefficient is infinite.
        var examples = TelcoLike(400, 3).Select(e => e with { Churned = e.Snapshot.AdditionalMeasures[Paperless.Measure.Key] == 1 || e.Churned }).ToList();

        var penalised = ChurnCalibration.Fit(FeaturesOnly(), examples, new CalibrationFitOptions { Ridge = 1 });
        var error = Assert.Throws<InvalidOperationException>(() => ChurnCalibration.Fit(FeaturesOnly(), examples, new CalibrationFitOptions { Ridge = 0 }));

        Assert.Equal(["feature.paperless"], penalised.Separation.ToArray());
        Assert.Contains("the outcomes are separated by feature.paperless", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outcomes_separated_by_a_combination_of_terms_are_reported_with_the_largest_coefficients()
    {
        // No single term separates the outcomes, but tenure and paperless billing together do: without a penalty the
        // coefficients grow without bound, and the fit names the largest instead of returning them.
        var examples = TelcoLike(400, 13).Select(e =>
        {
            var tenure = e.Snapshot.AdditionalMeasures[Tenure.Measure.Key];
            var paperless = e.Snapshot.AdditionalMeasures[Paperless.Measure.Key];
            return e with { Churned = tenure - (30 * paperless) < 20 };
        }).ToList();

        var error = Assert.Throws<InvalidOperationException>(() => ChurnCalibration.Fit(FeaturesOnly(), examples, new CalibrationFitOptions { Ridge = 0 }));

        Assert.Contains("The calibration diverges: the outcomes are separated by a combination of terms (largest standardised coefficients: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("feature.tenure", error.Message, StringComparison.Ordinal);
        Assert.Contains("feature.paperless", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Collinear_terms_are_named()
    {
        var twin = ChurnFeature.Numeric("tenure-days", 0, 120 * 31, "days as a customer");
        var examples = TelcoLike(300, 4).Select(e => e with { Snapshot = e.Snapshot.WithFeature(twin, e.Snapshot.AdditionalMeasures[Tenure.Measure.Key] * 30) }).ToList();

        var error = Assert.Throws<InvalidOperationException>(() => ChurnCalibration.Fit(Plain(Tenure, twin), examples, new CalibrationFitOptions { Ridge = 0 }));

        Assert.Contains("singular at 'feature.tenure-days'", error.Message, StringComparison.Ordinal);
    }

    [Property(MaxTest = 12)]
    public Property Standardising_makes_the_fit_independent_of_a_terms_unit(PositiveInt seed)
    {
        // Tenure in months or in days (× 30.4): the same predictions, because the fit and its penalty see standardised
        // terms (to the single precision measures are stored in).
        var months = ChurnCalibration.Fit(FeaturesOnly(), TelcoLike(300, seed.Get), new CalibrationFitOptions { Ridge = 2 });
        var daysFeature = ChurnFeature.Numeric("tenure", 0, 120 * 31, "days as a customer");
        var daysEngine = new ScoringEngine(new ScoringOptions { UseBuiltInSignals = false, UseBuiltInComponents = false, UseBuiltInRedFlags = false }.WithModelPlaceholder(), features: [daysFeature, Paperless, Contract]);
        var days = ChurnCalibration.Fit(daysEngine, TelcoLike(300, seed.Get, tenureScale: 30.4, tenureFeature: daysFeature), new CalibrationFitOptions { Ridge = 2 });

        var probe = Customer(24, true, "One year");
        var probeDays = probe.WithFeature(daysFeature, 24 * 30.4);
        var a = FeaturesOnly().WithCalibration(months).Score(probe).Risk.ChurnProbability!.Value;
        var b = daysEngine.WithCalibration(days).Score(probeDays).Risk.ChurnProbability!.Value;
        var perDay = months.Coefficients["feature.tenure"] / 30.4;
        return (Math.Abs(a - b) < 1e-6).Label($"{a} against {b}")
            .And((Math.Abs(perDay - days.Coefficients["feature.tenure"]) < 1e-6 * Math.Abs(perDay)).Label("coefficient per day = per month ÷ 30.4"));
    }

    [Property(MaxTest = 60)]
    public Property Contributions_add_up_to_the_score_in_log_odds_and_probability_points(PositiveInt tenure, bool paperless, byte contract, bool missingTenure)
    {
        var engine = FeaturesOnly().WithCalibration(Fitted.Value);
        var snapshot = Customer(missingTenure ? null : tenure.Get % 121, paperless, Contract.Levels[contract % 3]);

        var risk = engine.Score(snapshot).Risk;
        var model = risk.Model!;

        var logOdds = model.BaselineLogOdds + model.Contributions.Sum(c => c.LogOdds);
        var probability = model.BaselineProbability + model.Contributions.Sum(c => c.ProbabilityPoints);
        return (Math.Abs(logOdds - model.LogOdds) < 1e-9).Label($"log-odds {logOdds} against {model.LogOdds}")
            .And((Math.Abs(probability - risk.ChurnProbability!.Value) < 1e-9).Label($"probability {probability} against {risk.ChurnProbability}"))
            .And(model.Contributions.All(c => Math.Sign(c.LogOdds) == Math.Sign(c.ProbabilityPoints) || Math.Abs(c.ProbabilityPoints) < 1e-15).Label("points keep the sign of log-odds"));
    }

    private static readonly Lazy<ChurnCalibration> Fitted = new(() => FitTelcoLike(FeaturesOnly(), 800, 21));

    [Fact]
    public void A_backtest_trains_on_labels_known_before_the_cut_off_and_tests_after_it()
    {
        var cutoff = new LocalDate(2026, 6, 1);
        var examples = TelcoLike(600, 5, day: new LocalDate(2026, 1, 31))
            .Concat(TelcoLike(300, 6, day: new LocalDate(2026, 4, 30)))
            .Concat(TelcoLike(400, 7, day: new LocalDate(2026, 6, 30)))
            .ToList();
        var engine = FeaturesOnly();

        var backtest = ChurnBacktest.Run(engine, examples, cutoff, new CalibrationFitOptions { HorizonDays = 90 });

        Assert.Equal(600, backtest.TrainingExamples); // January: its 90 days ended by 1 May; April's had not by 1 June
        Assert.Equal(400, backtest.Test.Examples);
        Assert.Equal(400, backtest.Baseline.Examples);
        Assert.True(backtest.Test.Auc > 0.7, $"test AUC {backtest.Test.Auc}");
        Assert.Throws<ArgumentException>(() => ChurnBacktest.Run(engine, examples, new LocalDate(2026, 3, 1), new CalibrationFitOptions()));
    }

    [Fact]
    public void Fitting_on_a_batch_gives_the_fit_of_the_same_snapshots_and_refuses_more_outcomes_than_rows()
    {
        var engine = FeaturesOnly();
        var examples = TelcoLike(300, 9);
        var batch = engine.CreateBatch(examples.Count + 7); // rows past the outcomes are not part of the fit
        for (var i = 0; i < examples.Count; i++)
        {
            batch.Write(i, examples[i].Snapshot);
        }

        var options = new CalibrationFitOptions { Ridge = 1 };
        var fromBatch = ChurnCalibration.Fit(engine, batch, [.. examples.Select(e => e.Churned)], options);
        var fromSnapshots = ChurnCalibration.Fit(engine, examples, options);

        Assert.Equal(fromSnapshots.Intercept, fromBatch.Intercept);
        Assert.Equal(fromSnapshots.Coefficients.OrderBy(c => c.Key, StringComparer.Ordinal), fromBatch.Coefficients.OrderBy(c => c.Key, StringComparer.Ordinal));
        var tooMany = Assert.Throws<ArgumentException>(() => ChurnCalibration.Fit(engine, batch, [.. Enumerable.Repeat(true, batch.Capacity + 1)], options));
        Assert.Equal("churned", tooMany.ParamName);
        Assert.Contains($"churned has {batch.Capacity + 1} outcomes but the batch only {batch.Capacity} rows", tooMany.Message, StringComparison.Ordinal);
        Assert.Equal("Ridge", Assert.Throws<ArgumentOutOfRangeException>(() => ChurnCalibration.Fit(engine, batch, [true, false], new CalibrationFitOptions { Ridge = -1 })).ParamName);
    }

    [Fact]
    public void A_null_example_is_named_by_its_index_in_a_fit_and_refused_by_a_backtest()
    {
        var examples = TelcoLike(60, 10);
        examples[17] = null!;

        var fit = Assert.Throws<ArgumentNullException>(() => ChurnCalibration.Fit(FeaturesOnly(), examples, new CalibrationFitOptions()));
        var backtest = Assert.Throws<ArgumentNullException>(() => ChurnBacktest.Run(FeaturesOnly(), examples, Snapshots.Day, new CalibrationFitOptions()));

        Assert.Equal("examples", fit.ParamName);
        Assert.Contains("examples[17] is null", fit.Message, StringComparison.Ordinal);
        Assert.Equal("examples", backtest.ParamName);
    }

    [Fact]
    public void A_backtest_refuses_test_snapshots_the_rule_of_thumb_cannot_score()
    {
        // The baseline is the engine's own probability; with no signal measured the rule of thumb has none.
        var engine = new ScoringEngine(new ScoringOptions(), features: [Tenure, Paperless, Contract]);
        var examples = TelcoLike(300, 11, day: new LocalDate(2026, 1, 31)).Concat(TelcoLike(100, 12, day: new LocalDate(2026, 6, 30))).ToList();

        var error = Assert.Throws<ArgumentException>(() => ChurnBacktest.Run(engine, examples, new LocalDate(2026, 6, 1), new CalibrationFitOptions { HorizonDays = 90 }));

        Assert.Equal("examples", error.ParamName);
        Assert.Contains("rule-of-thumb probability is undefined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_options_out_of_range_are_named()
    {
        var examples = TelcoLike(50, 8);

        Assert.Equal("Folds", Assert.Throws<ArgumentOutOfRangeException>(() => ChurnCalibration.Fit(FeaturesOnly(), examples, new CalibrationFitOptions { Folds = 1 })).ParamName);
        Assert.Equal("RidgeCandidates", Assert.Throws<ArgumentException>(() => ChurnCalibration.Fit(FeaturesOnly(), examples, new CalibrationFitOptions { RidgeCandidates = [] })).ParamName);
        Assert.Equal("Ridge", Assert.Throws<ArgumentOutOfRangeException>(() => ChurnCalibration.Fit(FeaturesOnly(), examples, new CalibrationFitOptions { Ridge = double.NaN })).ParamName);
        Assert.Equal("HorizonDays", Assert.Throws<ArgumentOutOfRangeException>(() => ChurnCalibration.Fit(FeaturesOnly(), examples, new CalibrationFitOptions { HorizonDays = 0 })).ParamName);
        var few = examples.Where(e => e.Churned).Take(3).Concat(examples.Where(e => !e.Churned).Take(30)).ToList();
        Assert.Contains("fewer than the 5 cross-validation folds", Assert.Throws<ArgumentException>(() => ChurnCalibration.Fit(FeaturesOnly(), few, new CalibrationFitOptions())).Message, StringComparison.Ordinal);
    }
}

/// <summary>Test helpers for options.</summary>
internal static class OptionsTestExtensions
{
    /// <summary>An engine without signals or components needs a model to be valid; a placeholder calibration (all zero) stands in until one is fitted.</summary>
    public static ScoringOptions WithModelPlaceholder(this ScoringOptions options)
    {
        options.Calibration.Enabled = true;
        return options;
    }
}
