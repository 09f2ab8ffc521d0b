using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using static RetentionKit.Scoring.Tests.Model.ChurnModelTests;

namespace RetentionKit.Scoring.Tests.Model;

/// <summary>Features in snapshots and batches: levels, yes/no, explicit missing values, and NaN or infinity refused with row and column.</summary>
public sealed class FeatureInputTests
{
    [Fact]
    public void A_categorical_feature_codes_its_levels_by_position_and_refuses_others()
    {
        Assert.Equal(2f, Contract.Code("Two year"));
        Assert.Equal(["feature.contract=One year", "feature.contract=Two year", "feature.contract.missing"], FeaturesOnly().ModelTerms.Where(t => t.StartsWith("feature.contract", StringComparison.Ordinal)));
        Assert.Equal("level", Assert.Throws<ArgumentException>(() => Contract.Code("Weekly")).ParamName);
        Assert.Throws<InvalidOperationException>(() => Tenure.Code("x"));
        Assert.Equal("referenceLevel", Assert.Throws<ArgumentException>(() => ChurnFeature.Categorical("c", ["a", "b"], "z", "d")).ParamName);
        Assert.Equal("levels", Assert.Throws<ArgumentException>(() => ChurnFeature.Categorical("c", ["a", "a"], "a", "d")).ParamName);
        Assert.Equal("levels", Assert.Throws<ArgumentException>(() => ChurnFeature.Categorical("c", ["a"], "a", "d")).ParamName);
        Assert.Equal("levels", Assert.Throws<ArgumentException>(() => ChurnFeature.Categorical("c", ["a", " "], "a", "d")).ParamName);
        Assert.Throws<ArgumentException>(() => ChurnFeature.Numeric("bad name!", 0, 1, "d"));
    }

    [Fact]
    public void Snapshots_take_feature_values_within_their_rules()
    {
        var snapshot = new CustomerSnapshot(new CustomerId("c"), Snapshots.Day);

        Assert.Equal(1d, snapshot.WithFeature(Paperless, true).AdditionalMeasures[Paperless.Measure.Key]);
        Assert.Equal(1d, snapshot.WithFeature(Contract, "One year").AdditionalMeasures[Contract.Measure.Key]);
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => snapshot.WithFeature(Paperless, 0.5)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => snapshot.WithFeature(Tenure, 121)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => snapshot.WithFeature(Tenure, double.NaN)).ParamName);
        Assert.Throws<InvalidOperationException>(() => snapshot.WithFeature(Contract, 1d));
        Assert.Throws<InvalidOperationException>(() => snapshot.WithFeature(Tenure, true));
    }

    [Fact]
    public void A_categorical_code_that_is_not_whole_is_refused_in_a_snapshot_and_in_a_batch()
    {
        var engine = FeaturesOnly();
        var snapshot = new CustomerSnapshot(new CustomerId("c"), Snapshots.Day) { AdditionalMeasures = ImmutableDictionary<MeasureKey, double>.Empty.Add(Contract.Measure.Key, 0.5) };
        var batch = engine.CreateBatch(40);
        batch.Column(Contract.Measure.Key)[33] = 1.5f;

        Assert.Contains("takes a whole number", Assert.Throws<ArgumentException>(() => engine.Score(snapshot)).Message, StringComparison.Ordinal);
        var error = Assert.Throws<ArgumentException>(() => engine.ScoreBatch(batch, new BatchScore[40]));
        Assert.Contains("batch column contract, row 33, is 1.5; the feature takes a whole number", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(float.NaN, "is NaN, which is not a value; mark a missing value with ScoringBatch.Missing or SetMissing")]
    [InlineData(float.PositiveInfinity, "is Infinity, which is not a finite number")]
    [InlineData(float.NegativeInfinity, "is -Infinity, which is not a finite number")]
    public void NaN_and_infinity_in_a_batch_are_refused_naming_row_and_column(float bad, string rule)
    {
        var engine = FeaturesOnly();
        var batch = engine.CreateBatch(50);
        batch.Column(Tenure.Measure.Key).Fill(12);
        batch.Column(Tenure.Measure.Key)[41] = bad;
        var results = new BatchScore[50];

        var error = Assert.Throws<ArgumentException>(() => engine.ScoreBatch(batch, results));

        Assert.Equal("batch", error.ParamName);
        Assert.Contains($"batch column tenure, row 41, {rule}", error.Message, StringComparison.Ordinal);
        Assert.All(results, r => Assert.Equal(0d, r.ChurnProbability));
    }

    [Fact]
    public void Missing_is_said_explicitly_and_scores_as_missing()
    {
        var engine = FeaturesOnly();
        var batch = engine.CreateBatch(3);
        batch.Column(Tenure.Measure.Key).Fill(12);
        batch.SetMissing(Tenure.Measure.Key, 1);
        batch.Column(Tenure.Measure.Key)[2] = ScoringBatch.Missing;
        var results = new BatchScore[3];

        engine.ScoreBatch(batch, results);

        var missing = engine.Score(ChurnModelTests.Customer(null, null, null));
        Assert.True(float.IsNaN(ScoringBatch.Missing));
        Assert.Equal(missing.Risk.ChurnProbability!.Value, results[1].ChurnProbability);
        Assert.Equal(results[1].ChurnProbability, results[2].ChurnProbability);
        Assert.NotEqual(results[0].ChurnProbability, results[1].ChurnProbability);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.SetMissing(Tenure.Measure.Key, 3));
        Assert.Throws<ArgumentException>(() => batch.SetMissing(new MeasureKey("nope"), 0));
    }

    [Fact]
    public void Many_signals_of_one_type_and_features_register_by_instance()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit
            .AddScoring(o =>
            {
                o.Signals["plan-basic"] = new SignalOptions { Weight = 1 };
                o.Signals["plan-pro"] = new SignalOptions { Weight = 1 };
            })
            .AddSignal(new PlanSignal("plan-basic"))
            .AddSignal(_ => new PlanSignal("plan-pro"))
            .AddChurnFeature(Tenure));

        using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<ScoringEngine>();

        Assert.Contains(engine.Signals, s => s.Key.Name == "plan-basic");
        Assert.Contains(engine.Signals, s => s.Key.Name == "plan-pro");
        Assert.Equal([Tenure], engine.Features.ToArray());
    }

    [Fact]
    public void A_model_registered_in_the_container_gives_the_probability()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddScoring().AddChurnModel(new ConstantModel()));

        using var provider = services.BuildServiceProvider();
        var score = provider.GetRequiredService<ScoringEngine>().Score(Snapshots.Healthy());

        Assert.Equal(0.5, score.Risk.ChurnProbability);
        Assert.Equal(RiskLevel.Medium, score.Risk.Level);
        Assert.Equal("constant", score.Risk.Model!.Model);
    }

    [Fact]
    public void Features_declared_in_configuration_are_features_of_the_engine()
    {
        var options = new ScoringOptions();
        options.Features["contract"] = new ChurnFeatureOptions { Kind = ChurnFeatureKind.Categorical, Levels = ["Monthly", "Yearly"], ReferenceLevel = "Monthly", Description = "contract term" };
        options.Features["seats"] = new ChurnFeatureOptions { Minimum = 1, Maximum = 10_000, Description = "paid seats" };
        options.Features["trial"] = new ChurnFeatureOptions { Kind = ChurnFeatureKind.Boolean, Description = "came from a trial" };

        var engine = new ScoringEngine(options);

        Assert.Equal(["contract", "seats", "trial"], engine.Features.Select(f => f.Name));
        Assert.Equal(ChurnFeatureKind.Categorical, engine.Features[0].Kind);
        Assert.Contains("feature.contract=Yearly", engine.ModelTerms);
        Assert.Contains(engine.Measures, m => m.Key.Name == "seats" && m.Maximum == 10_000);
    }

    [Fact]
    public void Two_features_with_one_name_are_refused()
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new ScoringEngine(new ScoringOptions(), features: [Tenure, ChurnFeature.Numeric("tenure", 0, 5, "years")]));

        Assert.Contains("RetentionKit:Scoring:Features: two features are named 'tenure'.", error.Failures);
    }

    private sealed class PlanSignal(string key) : IChurnSignal
    {
        public SignalKey Key { get; } = new(key);

        public SignalCategory Category => SignalCategory.Competitive;

        public SignalAction Action => SignalAction.PersonalOutreach;

        public System.Collections.Generic.IReadOnlyList<MeasureDefinition> AdditionalMeasures => [];

        public SignalReading Read(ScoringRow row) => new(SignalState.Inactive, 0, 1);

        public string Describe(ScoringRow row, SignalReading reading) => key;
    }

    private sealed class ConstantModel : IChurnModel
    {
        public string Name => "constant";

        public ImmutableArray<string> Features => ["everything"];

        public double BaselineLogOdds => 0;

        public double Predict(ChurnModelInput input, Span<double> contributions) => 0;
    }
}
