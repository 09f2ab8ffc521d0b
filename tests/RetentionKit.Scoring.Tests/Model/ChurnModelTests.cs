using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.Extensions.Options;

namespace RetentionKit.Scoring.Tests.Model;

/// <summary>One probability: a model's probability is the churn probability of the explained and the batch path, its levels, and its explanation.</summary>
public sealed class ChurnModelTests
{
    internal static readonly ChurnFeature Tenure = ChurnFeature.Numeric("tenure", 0, 120, "months as a customer");
    internal static readonly ChurnFeature Paperless = ChurnFeature.Boolean("paperless", "billed without paper");
    internal static readonly ChurnFeature Contract = ChurnFeature.Categorical("contract", ["Month-to-month", "One year", "Two year"], "Month-to-month", "contract term");

    /// <summary>An engine of features only: no built-in signal, component or red flag, and a hand-set calibration.</summary>
    internal static ScoringEngine FeaturesOnly(double intercept = -1, Action<ScoringOptions>? configure = null)
    {
        var options = new ScoringOptions { UseBuiltInSignals = false, UseBuiltInComponents = false, UseBuiltInRedFlags = false };
        options.Calibration.Enabled = true;
        options.Calibration.Intercept = intercept;
        options.Calibration.Coefficients = new()
        {
            ["feature.tenure"] = -0.05,
            ["feature.tenure.missing"] = 0.3,
            ["feature.paperless"] = 0.4,
            ["feature.contract=One year"] = -1.2,
            ["feature.contract=Two year"] = -2.5,
            ["feature.contract.missing"] = 0.1,
        };
        options.Calibration.Means = new() { ["feature.tenure"] = 30, ["feature.paperless"] = 0.6, ["feature.contract=One year"] = 0.2, ["feature.contract=Two year"] = 0.25 };
        configure?.Invoke(options);
        return new ScoringEngine(options, features: [Tenure, Paperless, Contract]);
    }

    internal static CustomerSnapshot Customer(double? tenure, bool? paperless, string? contract, string id = "c-1")
    {
        var snapshot = new CustomerSnapshot(new CustomerId(id), Snapshots.Day);
        snapshot = tenure is { } t ? snapshot.WithFeature(Tenure, t) : snapshot;
        snapshot = paperless is { } p ? snapshot.WithFeature(Paperless, p) : snapshot;
        return contract is { } c ? snapshot.WithFeature(Contract, c) : snapshot;
    }

    [Fact]
    public void The_model_gives_the_probability_of_its_terms_and_the_level_it_falls_in()
    {
        var engine = FeaturesOnly();

        var score = engine.Score(Customer(tenure: 2, paperless: true, contract: "Month-to-month"));

        var z = -1 + (-0.05 * 2) + 0.4;
        Assert.Equal(1 / (1 + Math.Exp(-z)), score.Risk.ChurnProbability!.Value, 12);
        Assert.Equal(ChurnProbabilitySource.Model, score.Risk.ProbabilitySource);
        Assert.Equal(ChurnProbabilitySource.Model, engine.ProbabilitySource);
        Assert.Equal(RiskLevel.Low, score.Risk.Level); // z = −0.7: 33 %, below the 40 % cut-off
    }

    [Theory]
    [InlineData(0.39, RiskLevel.Low)]
    [InlineData(0.40, RiskLevel.Medium)]
    [InlineData(0.69, RiskLevel.Medium)]
    [InlineData(0.70, RiskLevel.High)]
    public void A_models_level_is_cut_on_its_probability_at_the_documents_40_and_70_percent(double probability, RiskLevel level)
    {
        // A customer with every feature missing gets the intercept plus the missing terms; set the intercept so that
        // the probability is exactly the one under test.
        var missing = 0.3 + 0.1;
        var engine = FeaturesOnly(intercept: Math.Log(probability / (1 - probability)) - missing);

        var score = engine.Score(Customer(null, null, null));

        Assert.Equal(probability, score.Risk.ChurnProbability!.Value, 9);
        Assert.Equal(level, score.Risk.Level);
        Assert.Equal(level, score.Risk.ComputedLevel);
    }

    [Fact]
    public void Custom_cut_offs_move_the_levels()
    {
        var engine = FeaturesOnly(configure: o => { o.RiskLevels.MediumFromProbability = 0.2; o.RiskLevels.HighFromProbability = 0.3; });

        Assert.Equal(RiskLevel.High, engine.Score(Customer(2, true, "Month-to-month")).Risk.Level);
        Assert.Equal(RiskLevel.Low, engine.Score(Customer(60, false, "Two year")).Risk.Level);
    }

    [Fact]
    public void Cut_offs_out_of_order_are_refused_at_start()
    {
        var options = new ScoringOptions();
        options.RiskLevels.MediumFromProbability = 0.8;

        var error = Assert.Throws<OptionsValidationException>(() => new ScoringEngine(options));

        Assert.Contains("RetentionKit:Scoring:RiskLevels:MediumFromProbability (0.8) must be below RiskLevels:HighFromProbability (0.7).", error.Failures);
    }

    [Fact]
    public void Without_a_model_the_probability_is_labelled_the_rule_of_thumb_and_levels_count_signals()
    {
        var score = Snapshots.DefaultEngine.Score(Snapshots.Healthy() with { Nps = 3, FeatureShare = 0.1 });

        Assert.Equal(ChurnProbabilitySource.RuleOfThumb, score.Risk.ProbabilitySource);
        Assert.Null(score.Risk.Model);
        Assert.Equal(ChurnProbabilitySource.RuleOfThumb, Snapshots.DefaultEngine.ProbabilitySource);
        Assert.Null(Snapshots.DefaultEngine.ModelName);
        Assert.Equal(RiskLevel.Medium, score.Risk.Level);
        Assert.Equal(0, (int)(score.Notes & ScoreNotes.Calibrated));
    }

    [Fact]
    public void The_explanation_adds_up_in_log_odds_and_in_probability_points()
    {
        var engine = FeaturesOnly();

        var model = engine.Score(Customer(5, true, "One year")).Risk.Model!;

        Assert.Equal("calibration", model.Model);
        Assert.Equal(["feature.tenure", "feature.paperless", "feature.contract"], model.Contributions.Select(c => c.Feature));
        Assert.Equal(-0.05 * (5 - 30), model.Contributions[0].LogOdds, 12);
        Assert.Equal(0.4 * (1 - 0.6), model.Contributions[1].LogOdds, 12);
        Assert.Equal((-1.2 * (1 - 0.2)) + (-2.5 * (0 - 0.25)), model.Contributions[2].LogOdds, 12);
        Assert.Equal(model.LogOdds, model.BaselineLogOdds + model.Contributions.Sum(c => c.LogOdds), 12);
        Assert.Equal(model.Probability, model.BaselineProbability + model.Contributions.Sum(c => c.ProbabilityPoints), 12);
        Assert.Equal(-1 + (-0.05 * 30) + (0.4 * 0.6) + (-1.2 * 0.2) + (-2.5 * 0.25), model.BaselineLogOdds, 12);
        Assert.Equal("feature.tenure", model.Strongest(1)[0].Feature);
    }

    [Fact]
    public void A_customer_at_the_baseline_has_points_from_the_slope_there()
    {
        // Contributions that cancel in log-odds still get points of opposite sign that cancel too.
        var engine = FeaturesOnly(configure: o => o.Calibration.Means = new() { ["feature.tenure"] = 10, ["feature.paperless"] = 1, ["feature.contract=One year"] = 0, ["feature.contract=Two year"] = 0 });

        var model = engine.Score(Customer(10, true, "Month-to-month")).Risk.Model!;

        Assert.Equal(model.BaselineLogOdds, model.LogOdds, 12);
        Assert.All(model.Contributions, c => Assert.Equal(0, c.ProbabilityPoints, 12));
    }

    [Fact]
    public void Batch_and_explained_paths_agree_bit_for_bit_with_a_model_and_missing_features()
    {
        var engine = FeaturesOnly();
        var random = new Random(5);
        var snapshots = Enumerable.Range(0, 301).Select(i => Customer(
            random.Next(4) == 0 ? null : random.Next(0, 121),
            random.Next(4) == 0 ? null : random.Next(2) == 0,
            random.Next(4) == 0 ? null : Contract.Levels[random.Next(3)],
            "c" + i)).ToList();
        var batch = Snapshots.BatchOf(engine, snapshots);

        var results = new BatchScore[snapshots.Count];
        engine.ScoreBatch(batch, results);

        for (var i = 0; i < snapshots.Count; i++)
        {
            var explained = engine.Score(snapshots[i]);
            Assert.Equal(explained.Risk.ChurnProbability!.Value, results[i].ChurnProbability);
            Assert.Equal(explained.Risk.Level, results[i].Level);
            Assert.Equal(ScoreNotes.Calibrated, results[i].Notes & ScoreNotes.Calibrated);
        }
    }

    [Fact]
    public void Red_flags_are_terms_of_a_model_and_their_floors_do_not_override_it()
    {
        // Decision: with a model a red flag is one more term (redflag.{name}, 1 when matched); its floor applies only
        // to the rule of thumb, because a floor would undo the calibration the model was fitted for.
        var options = new ScoringOptions();
        options.Calibration.Enabled = true;
        options.Calibration.Intercept = -3;
        options.Calibration.Coefficients = new() { ["redflag." + RedFlagNames.LowNpsAndReducedUsage] = 1.5 };
        var engine = new ScoringEngine(options);
        var flagged = Snapshots.Healthy() with { Nps = 3, FeatureShare = 0.1 };

        var score = engine.Score(flagged);

        Assert.Contains(score.Risk.RedFlags, f => f.Name == RedFlagNames.LowNpsAndReducedUsage);
        Assert.Equal(1 / (1 + Math.Exp(1.5)), score.Risk.ChurnProbability!.Value, 12);
        Assert.Equal(ScoreNotes.None, score.Notes & ScoreNotes.RedFlagFloorApplied);
        Assert.Equal(1.5, score.Risk.Model!.Contributions.Single(c => c.Feature == "redflag." + RedFlagNames.LowNpsAndReducedUsage).LogOdds, 12);
        Assert.True(Snapshots.DefaultEngine.Score(flagged).Risk.ChurnProbability >= 0.75, "the rule of thumb keeps its floor");
    }

    [Fact]
    public void An_engine_of_features_only_has_no_built_in_terms_and_ignores_measures_nothing_reads()
    {
        var engine = FeaturesOnly();
        var snapshot = Customer(12, false, "Two year") with { Nps = 3, Logins = 2, AdditionalMeasures = ImmutableDictionary<MeasureKey, double>.Empty.Add(new MeasureKey("gender"), 1) };

        var score = engine.Score(snapshot.WithFeature(Tenure, 12).WithFeature(Contract, "Two year"));

        Assert.Empty(engine.Signals);
        Assert.Empty(engine.Components);
        Assert.Empty(engine.RedFlags);
        Assert.Equal(
            ["feature.tenure", "feature.tenure.missing", "feature.paperless", "feature.paperless.missing", "feature.contract=One year", "feature.contract=Two year", "feature.contract.missing"],
            engine.ModelTerms.ToArray());
        Assert.Null(score.Risk.Score);
        Assert.Null(score.Retention.Value);
        Assert.NotNull(score.Risk.ChurnProbability);
        Assert.Equal(ScoreNotes.RiskUndefined, score.Notes & ScoreNotes.RiskUndefined);
    }

    [Fact]
    public void Single_built_in_components_can_be_removed_with_their_terms()
    {
        var options = new ScoringOptions();
        options.RetentionScore.DisabledComponents = ["Value"];

        var engine = new ScoringEngine(options);

        Assert.DoesNotContain(engine.Components, c => c.Key.Name == "Value");
        Assert.DoesNotContain("component.Value.missing", engine.ModelTerms);
        Assert.Contains("component.Usage.missing", engine.ModelTerms);
    }

    [Fact]
    public void A_calibration_for_terms_the_engine_lacks_is_refused_naming_the_term()
    {
        var fitted = ChurnCalibrationFitTests.FitTelcoLike(FeaturesOnly(), 400, 2);

        var error = Assert.Throws<ArgumentException>(() => Snapshots.DefaultEngine.WithCalibration(fitted));

        Assert.Equal("calibration", error.ParamName);
        Assert.Contains("'feature.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_model_drives_probability_levels_and_explanation()
    {
        var model = new TenureModel();
        var engine = new ScoringEngine(new ScoringOptions(), features: [Tenure], model: model);

        var score = engine.Score(Snapshots.Healthy().WithFeature(Tenure, 1));

        Assert.Equal(1 / (1 + Math.Exp(-(1 - (0.1 * 1)))), score.Risk.ChurnProbability!.Value, 12);
        Assert.Equal(RiskLevel.High, score.Risk.Level);
        Assert.Equal("tenure-only", score.Risk.Model!.Model);
        Assert.Equal("tenure-only", engine.ModelName);
        Assert.Equal(-0.1 * (1 - 20), score.Risk.Model.Contributions.Single().LogOdds, 12);
        Assert.Equal(score.Risk.ChurnProbability!.Value, score.Risk.Model.BaselineProbability + score.Risk.Model.Contributions.Sum(c => c.ProbabilityPoints), 12);
        Assert.Same(engine.Signals[0], engine.WithModel(model).Signals[0]);
    }

    [Fact]
    public void A_host_model_whose_contributions_do_not_add_up_is_named()
    {
        var engine = new ScoringEngine(new ScoringOptions(), features: [Tenure]).WithModel(new TenureModel { Broken = true });

        var error = Assert.Throws<InvalidOperationException>(() => engine.Score(Snapshots.Healthy()));

        Assert.Contains("The churn model 'tenure-only' returned log-odds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_model_and_an_enabled_calibration_together_are_refused()
    {
        var options = new ScoringOptions();
        options.Calibration.Enabled = true;

        var error = Assert.Throws<OptionsValidationException>(() => new ScoringEngine(options, model: new TenureModel()));

        Assert.Contains(error.Failures, f => f.StartsWith("RetentionKit:Scoring:Calibration:Enabled is true and a churn model (IChurnModel) is registered", StringComparison.Ordinal));
    }

    [Fact]
    public void A_host_model_reads_the_signals_red_flags_and_components_the_engine_found_for_each_row()
    {
        var engine = new ScoringEngine(new ScoringOptions(), model: new InputsModel());
        var snapshots = new[]
        {
            Snapshots.Healthy("a"),
            Snapshots.Healthy("b") with { DaysPaymentLate = 20 },
            Snapshots.Healthy("c") with { Nps = 3, FeatureShare = 0.1 },
            Snapshots.Healthy("d") with { FeatureShare = null, UsageOfLimit = null },
            Snapshots.Healthy("e") with { DaysPaymentLate = 20, Nps = 3, FeatureShare = 0.1 },
        };
        var batch = Snapshots.BatchOf(engine, snapshots);

        var results = new BatchScore[snapshots.Length];
        engine.ScoreBatch(batch, results);

        for (var i = 0; i < snapshots.Length; i++)
        {
            var explained = engine.Score(snapshots[i]);
            var late = explained.Risk.Signals.Single(s => s.Key.Name == SignalNames.LatePayment).State == SignalState.Active ? 1 : 0;
            var flags = explained.Risk.RedFlags.Length;
            var usage = explained.Retention.Components.Single(c => c.Key.Name == ComponentNames.Usage).Value;
            var z = (2 * late) + (0.5 * flags) - ((usage ?? 0) / 100) + (usage is null ? 0.25 : 0);
            Assert.Equal(1 / (1 + Math.Exp(-z)), results[i].ChurnProbability, 12);
            Assert.Equal(explained.Risk.ChurnProbability, results[i].ChurnProbability);
        }

        Assert.Equal(1, results[1].ActiveSignalCount);
        Assert.NotEqual(0UL, results[2].RedFlags);
    }

    /// <summary>log-odds = 2 × [late payment] + 0.5 × red flags − usage ÷ 100 (+0.25 when missing); asks for keys the engine lacks too.</summary>
    private sealed class InputsModel : IChurnModel
    {
        public string Name => "inputs";

        public ImmutableArray<string> Features => ["inputs"];

        public double BaselineLogOdds => 0;

        public double Predict(ChurnModelInput input, Span<double> contributions)
        {
            Assert.False(input.IsActive(new SignalKey("NoSuchSignal")));
            Assert.Null(input.Component(new ComponentKey("NoSuchComponent")));
            var flags = System.Numerics.BitOperations.PopCount(input.RedFlags);
            var late = input.IsActive(new SignalKey(SignalNames.LatePayment)) ? 1 : 0;
            Assert.Equal(late == 1, (input.ActiveSignals & (1UL << 3)) != 0); // LatePayment is the fourth built-in signal
            var usage = input.Component(new ComponentKey(ComponentNames.Usage));
            var z = (2 * late) + (0.5 * flags) - ((usage ?? 0) / 100) + (usage is null ? 0.25 : 0);
            contributions[0] = z;
            return z;
        }
    }

    /// <summary>log-odds = 1 − 0.1 × tenure (0 when missing), attributed to tenure against a 20-month reference.</summary>
    private sealed class TenureModel : IChurnModel
    {
        public bool Broken { get; init; }

        public string Name => "tenure-only";

        public ImmutableArray<string> Features => ["tenure"];

        public double BaselineLogOdds => 1 - (0.1 * 20);

        public double Predict(ChurnModelInput input, Span<double> contributions)
        {
            var tenure = input.Feature(Tenure) ?? 20;
            contributions[0] = -0.1 * (tenure - 20);
            return Broken ? 5 : 1 - (0.1 * tenure);
        }
    }
}
