using System;
using System.Collections.Immutable;
using System.Linq;

namespace RetentionKit.Scoring.Tests.Model;

/// <summary>The model plans' edges: a calibrated engine's explanation term by term, and a host model's wide and broken outputs.</summary>
public sealed class ModelPlanEdgeTests
{
    /// <summary>A calibrated default engine: one coefficient per kind of term, each with a training mean.</summary>
    private static ScoringEngine Calibrated()
    {
        var options = new ScoringOptions();
        options.Calibration.Enabled = true;
        options.Calibration.Intercept = -2;
        options.Calibration.Coefficients = new()
        {
            ["signal.ReducedUsage"] = 0.8,
            ["component.Usage"] = -1.5,
            ["component.Value.missing"] = 0.6,
            ["redflag.CompetitorTrialAndAlternativeSearch"] = 1.2,
        };
        options.Calibration.Means = new()
        {
            ["signal.ReducedUsage"] = 0.25,
            ["component.Usage"] = 0.55,
            ["component.Value.missing"] = 0.1,
            ["redflag.CompetitorTrialAndAlternativeSearch"] = 0.05,
        };
        return new ScoringEngine(options);
    }

    [Fact]
    public void A_calibrated_explanation_measures_each_term_from_its_mean()
    {
        var engine = Calibrated();
        // Reduced usage active (10 % of features); usage component: 70 % × (10 ÷ 60 × 100) + 30 % × (80 ÷ 80 × 100) = 41.67;
        // the value component missing (no payment or ROI data); the competitor red flag matched.
        var snapshot = Snapshots.Healthy() with { FeatureShare = 0.1, DaysPaymentLate = null, RoiMultiple = null, CompetitorTrials = 1, AlternativeSearches = 2 };

        var score = engine.Score(snapshot);
        var model = score.Risk.Model!;
        double Of(string feature) => model.Contributions.Single(c => c.Feature == feature).LogOdds;
        var usage = score.Retention.Components.Single(c => c.Key.Name == ComponentNames.Usage).Value!.Value;

        Assert.Equal(-2 + (0.8 * 0.25) + (-1.5 * 0.55) + (0.6 * 0.1) + (1.2 * 0.05), model.BaselineLogOdds, 12);
        Assert.Equal(0.8 * (1 - 0.25), Of("signal.ReducedUsage"), 12);
        Assert.Equal(-1.5 * ((usage / 100) - 0.55), Of("component.Usage"), 5); // the component in single precision
        Assert.Equal(0.6 * (1 - 0.1), Of("component.Value"), 12);
        Assert.Equal(1.2 * (1 - 0.05), Of("redflag.CompetitorTrialAndAlternativeSearch"), 12);
        Assert.Equal(0, Of("signal.LatePayment"));
        Assert.Equal(model.LogOdds, model.BaselineLogOdds + model.Contributions.Sum(c => c.LogOdds), 9);
        Assert.Equal(1 / (1 + Math.Exp(-model.LogOdds)), score.Risk.ChurnProbability!.Value, 12);
    }

    [Fact]
    public void A_calibrated_explanation_of_a_customer_without_the_signal_or_flag_is_below_the_mean()
    {
        var model = Calibrated().Score(Snapshots.Healthy()).Risk.Model!;

        Assert.Equal(0.8 * (0 - 0.25), model.Contributions.Single(c => c.Feature == "signal.ReducedUsage").LogOdds, 12);
        Assert.Equal(1.2 * (0 - 0.05), model.Contributions.Single(c => c.Feature == "redflag.CompetitorTrialAndAlternativeSearch").LogOdds, 12);
        Assert.Equal(0.6 * (0 - 0.1), model.Contributions.Single(c => c.Feature == "component.Value").LogOdds, 5);
    }

    [Fact]
    public void A_host_model_with_more_features_than_fit_on_the_stack_scores_a_batch_as_it_explains()
    {
        var model = new WideModel(300);
        var engine = new ScoringEngine(new ScoringOptions(), model: model);
        var snapshots = Enumerable.Range(0, 20).Select(i => Snapshots.Healthy("w" + i) with { Nps = i % 11, FeatureShare = i / 20d }).ToArray();
        var batch = Snapshots.BatchOf(engine, snapshots);
        var results = new BatchScore[snapshots.Length];

        engine.ScoreBatch(batch, 0, results);

        for (var i = 0; i < snapshots.Length; i++)
        {
            var explained = engine.Score(snapshots[i]);
            Assert.Equal(explained.Risk.ChurnProbability!.Value, results[i].ChurnProbability, 12);
            Assert.Equal(300, explained.Risk.Model!.Contributions.Length);
        }

        Assert.NotEqual(results[0].ChurnProbability, results[7].ChurnProbability);
    }

    [Fact]
    public void Rows_of_a_batch_are_each_given_to_the_model_as_their_own()
    {
        var engine = new ScoringEngine(new ScoringOptions(), model: new NpsModel());
        var snapshots = Enumerable.Range(0, 9).Select(i => Snapshots.Healthy("r" + i) with { Nps = i }).ToArray();
        var batch = Snapshots.BatchOf(engine, snapshots);
        var results = new BatchScore[5];

        engine.ScoreBatch(batch, 4, results);

        Assert.Equal([4d, 5, 6, 7, 8], results.Select(r => Math.Round(Math.Log(r.ChurnProbability / (1 - r.ChurnProbability)), 9)).ToArray());
    }

    [Fact]
    public void A_model_whose_contributions_do_not_add_up_is_named_with_the_row_and_the_sums()
    {
        var engine = new ScoringEngine(new ScoringOptions(), model: new OffByModel(1e-6));
        var batch = Snapshots.BatchOf(engine, [Snapshots.Healthy("a"), Snapshots.Healthy("b") with { Nps = 4 }]);

        var error = Assert.Throws<InvalidOperationException>(() => engine.ScoreBatch(batch, 1, new BatchScore[1]));

        Assert.Equal("The churn model 'off-by' returned log-odds 4 for row 1; it must be finite and equal its baseline (0.5) plus its contributions (3.499999).", error.Message);
        var accepted = new ScoringEngine(new ScoringOptions(), model: new OffByModel(1e-10)).Score(Snapshots.Healthy() with { Nps = 4 }).Risk.ChurnProbability!.Value;
        Assert.Equal(4, Math.Log(accepted / (1 - accepted)), 6); // within 1e-9 of the sum: accepted
    }

    [Fact]
    public void A_large_log_odds_is_checked_relative_to_its_size()
    {
        // log-odds 1e6, contributions 1e-4 short: 1e-10 relative, inside the 1e-9 tolerance; 1e-2 short is outside.
        Assert.Equal(1d, new ScoringEngine(new ScoringOptions(), model: new BigModel(1e-4)).Score(Snapshots.Healthy()).Risk.ChurnProbability);
        Assert.Throws<InvalidOperationException>(() => new ScoringEngine(new ScoringOptions(), model: new BigModel(1e-2)).Score(Snapshots.Healthy()));
    }

    /// <summary>300 features, each an equal share of NPS ÷ 10 less the feature share.</summary>
    private sealed class WideModel(int width) : IChurnModel
    {
        public string Name => "wide";

        public ImmutableArray<string> Features { get; } = [.. Enumerable.Range(0, width).Select(i => "f" + i)];

        public double BaselineLogOdds => 0;

        public double Predict(ChurnModelInput input, Span<double> contributions)
        {
            var z = (input.Measures[Measures.Nps] / 10) - input.Measures[Measures.FeatureShare];
            for (var i = 0; i < contributions.Length; i++)
            {
                contributions[i] = z / contributions.Length;
            }

            var sum = 0d;
            foreach (var c in contributions)
            {
                sum += c;
            }

            return sum;
        }
    }

    /// <summary>log-odds = the row's NPS.</summary>
    private sealed class NpsModel : IChurnModel
    {
        public string Name => "nps";

        public ImmutableArray<string> Features => ["nps"];

        public double BaselineLogOdds => 0;

        public double Predict(ChurnModelInput input, Span<double> contributions)
        {
            contributions[0] = input.Measures[Measures.Nps];
            return contributions[0];
        }
    }

    /// <summary>log-odds = NPS, baseline 0.5, contributions short by <c>gap</c>.</summary>
    private sealed class OffByModel(double gap) : IChurnModel
    {
        public string Name => "off-by";

        public ImmutableArray<string> Features => ["nps"];

        public double BaselineLogOdds => 0.5;

        public double Predict(ChurnModelInput input, Span<double> contributions)
        {
            var z = input.Measures[Measures.Nps];
            contributions[0] = z - 0.5 - gap;
            return z;
        }
    }

    /// <summary>log-odds 10⁶, contributions short by <c>gap</c>.</summary>
    private sealed class BigModel(double gap) : IChurnModel
    {
        public string Name => "big";

        public ImmutableArray<string> Features => ["all"];

        public double BaselineLogOdds => 0;

        public double Predict(ChurnModelInput input, Span<double> contributions)
        {
            contributions[0] = 1e6 - gap;
            return 1e6;
        }
    }
}
