using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using static RetentionKit.Scoring.Tests.Model.ChurnModelTests;

namespace RetentionKit.Scoring.Tests.Model;

/// <summary>Features' and host models' edges: the messages of bad features and values, what a model reads, and how its explanation is shared out.</summary>
public sealed class ModelEdgeTests
{
    [Fact]
    public void A_categorical_feature_says_what_is_wrong_with_its_levels()
    {
        static ArgumentException Error(string[] levels, string reference = "a") =>
            Assert.Throws<ArgumentException>(() => ChurnFeature.Categorical("plan", levels, reference, "plan"));

        Assert.StartsWith("levels has 1 level(s); a categorical feature needs at least two.", Error(["a"]).Message, StringComparison.Ordinal);
        Assert.StartsWith("levels must not hold a null or blank level.", Error(["a", " "]).Message, StringComparison.Ordinal);
        Assert.StartsWith("levels holds 'b' twice; levels must be distinct.", Error(["a", "b", "b"]).Message, StringComparison.Ordinal);
        Assert.All(new[] { Error(["a"]), Error(["a", " "]), Error(["a", "b", "b"]) }, e => Assert.Equal("levels", e.ParamName));
    }

    [Fact]
    public void A_categorical_features_codes_run_from_zero_to_the_last_level()
    {
        Assert.Equal(0, Contract.Measure.Minimum);
        Assert.Equal(2, Contract.Measure.Maximum);
        Assert.Equal(2, Contract.Code("Two year"));
        var snapshot = new CustomerSnapshot(Snapshots.Customer, Snapshots.Day).WithFeature(Contract, "Two year");
        Assert.Equal(2, snapshot.AdditionalMeasures[Contract.Measure.Key]);
    }

    [Fact]
    public void Codes_are_only_for_the_levels_of_a_categorical_feature()
    {
        var notCategorical = Assert.Throws<InvalidOperationException>(() => Tenure.Code("x"));
        Assert.Equal("The feature 'tenure' is numeric, not categorical; write its value itself.", notCategorical.Message);
        Assert.Equal("level", Assert.Throws<ArgumentNullException>(() => Contract.Code(null!)).ParamName);
        var unknown = Assert.Throws<ArgumentException>(() => Contract.Code("Three year"));
        Assert.Equal("level", unknown.ParamName);
        Assert.StartsWith("'Three year' is not a level of the feature 'contract' (Month-to-month, One year, Two year).", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithFeature_names_its_null_arguments()
    {
        var snapshot = new CustomerSnapshot(Snapshots.Customer, Snapshots.Day);
        Assert.Equal("snapshot", Assert.Throws<ArgumentNullException>(() => ((CustomerSnapshot)null!).WithFeature(Tenure, 1d)).ParamName);
        Assert.Equal("feature", Assert.Throws<ArgumentNullException>(() => snapshot.WithFeature(null!, 1d)).ParamName);
        Assert.Equal("feature", Assert.Throws<ArgumentNullException>(() => snapshot.WithFeature(null!, true)).ParamName);
        Assert.Equal("snapshot", Assert.Throws<ArgumentNullException>(() => ((CustomerSnapshot)null!).WithFeature(Contract, "One year")).ParamName);
        Assert.Equal("feature", Assert.Throws<ArgumentNullException>(() => snapshot.WithFeature(null!, "One year")).ParamName);
    }

    [Fact]
    public void WithFeature_says_what_a_feature_takes()
    {
        var snapshot = new CustomerSnapshot(Snapshots.Customer, Snapshots.Day);

        var numeric = Assert.Throws<ArgumentOutOfRangeException>(() => snapshot.WithFeature(Tenure, 121d));
        Assert.Equal("value", numeric.ParamName);
        Assert.StartsWith("The feature 'tenure' takes a finite number between 0 and 120 (months as a customer).", numeric.Message, StringComparison.Ordinal);

        var yesNo = Assert.Throws<ArgumentOutOfRangeException>(() => snapshot.WithFeature(Paperless, 0.5));
        Assert.StartsWith("The yes/no feature 'paperless' takes 0 or 1.", yesNo.Message, StringComparison.Ordinal);

        var categorical = Assert.Throws<InvalidOperationException>(() => snapshot.WithFeature(Contract, 1d));
        Assert.Equal("The feature 'contract' is categorical; give its level: WithFeature(feature, \"level\").", categorical.Message);

        var notYesNo = Assert.Throws<InvalidOperationException>(() => snapshot.WithFeature(Tenure, true));
        Assert.Equal("The feature 'tenure' is numeric, not a yes/no.", notYesNo.Message);
    }

    [Fact]
    public void A_model_reads_every_component_and_feature_the_explanation_shows()
    {
        var model = new ReadingModel();
        var engine = new ScoringEngine(new ScoringOptions(), features: [Tenure], model: model);
        var snapshot = Snapshots.Healthy().WithFeature(Tenure, 7) with { DaysPaymentLate = null, RoiMultiple = null };

        var score = engine.Score(snapshot);

        Assert.Equal(score.Retention.Components.Select(c => c.Value).ToArray(), model.Components.ToArray());
        Assert.NotNull(model.Components[0]);
        Assert.Contains(null, model.Components);
        Assert.Equal(7, model.Tenure);
        Assert.Equal("feature", model.NullFeature);
    }

    [Fact]
    public void A_models_explanation_follows_what_the_model_read_on_the_explained_path()
    {
        // log-odds = the first component ÷ 100, all of it attributed to "first".
        var engine = new ScoringEngine(new ScoringOptions(), model: new FirstComponentModel());

        var score = engine.Score(Snapshots.Healthy());

        var first = score.Retention.Components[0].Value!.Value;
        Assert.Equal(first / 100, score.Risk.Model!.Contributions.Single().LogOdds, 12);
        Assert.Equal(1 / (1 + Math.Exp(-first / 100)), score.Risk.ChurnProbability!.Value, 12);
    }

    [Fact]
    public void Contributions_that_cancel_out_are_shared_at_the_logistics_slope()
    {
        // Baseline −1, contributions +0.5 and −0.5: the probability is the baseline's, p0 = 1 ÷ (1 + e); each point share is ±0.5 × p0 (1 − p0).
        var engine = new ScoringEngine(new ScoringOptions(), model: new CancellingModel());

        var explanation = engine.Score(Snapshots.Healthy()).Risk.Model!;

        var p0 = 1 / (1 + Math.E);
        Assert.Equal(p0, explanation.BaselineProbability, 12);
        Assert.Equal(p0, explanation.Probability, 12);
        Assert.Equal(0.5 * p0 * (1 - p0), explanation.Contributions[0].ProbabilityPoints, 12);
        Assert.Equal(-0.5 * p0 * (1 - p0), explanation.Contributions[1].ProbabilityPoints, 12);
    }

    [Fact]
    public void The_strongest_contributions_of_equal_size_come_in_name_order()
    {
        var explanation = new ModelExplanation("m", 0, 0.5, 0, 0.5, [new("zeta", 0.5, 0.1), new("alpha", -0.5, -0.1), new("mid", 0.2, 0.05), new("beta", 0.5, 0.1)]);

        Assert.Equal(["alpha", "beta", "zeta"], explanation.Strongest(3).Select(c => c.Feature).ToArray());
    }

    /// <summary>Records what it is given: every component, the tenure feature, and what asking for a null feature throws.</summary>
    private sealed class ReadingModel : IChurnModel
    {
        public List<double?> Components { get; } = [];

        public double? Tenure { get; private set; }

        public string? NullFeature { get; private set; }

        public string Name => "reading";

        public ImmutableArray<string> Features => ["all"];

        public double BaselineLogOdds => 0;

        public double Predict(ChurnModelInput input, Span<double> contributions)
        {
            Components.Clear();
            foreach (var component in Snapshots.DefaultEngine.Components)
            {
                Components.Add(input.Component(component.Key));
            }

            Tenure = input.Feature(ChurnModelTests.Tenure);
            try
            {
                _ = input.Feature(null!);
            }
            catch (ArgumentNullException error)
            {
                NullFeature = error.ParamName;
            }

            contributions[0] = 0;
            return 0;
        }
    }

    private sealed class FirstComponentModel : IChurnModel
    {
        public string Name => "first";

        public ImmutableArray<string> Features => ["first"];

        public double BaselineLogOdds => 0;

        public double Predict(ChurnModelInput input, Span<double> contributions)
        {
            var value = (input.Component(Snapshots.DefaultEngine.Components[0].Key) ?? 0) / 100;
            contributions[0] = value;
            return value;
        }
    }

    private sealed class CancellingModel : IChurnModel
    {
        public string Name => "cancelling";

        public ImmutableArray<string> Features => ["up", "down"];

        public double BaselineLogOdds => -1;

        public double Predict(ChurnModelInput input, Span<double> contributions)
        {
            contributions[0] = 0.5;
            contributions[1] = -0.5;
            return -1;
        }
    }
}
