using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace RetentionKit.Scoring.Tests;

/// <summary>The engine's edges: argument checks and their messages, zero weights, the sentiment of comments, unknown measures, the batch checks' tails, and what it counts.</summary>
public sealed class EngineEdgeTests
{
    private static readonly ScoringEngine Engine = Snapshots.DefaultEngine;

    [Fact]
    public void A_null_in_any_registration_list_names_that_list()
    {
        static string ParamOf(Action create) => Assert.Throws<ArgumentException>(create).ParamName!;

        Assert.Equal("signals", ParamOf(() => _ = new ScoringEngine(new ScoringOptions(), signals: [null!])));
        Assert.Equal("components", ParamOf(() => _ = new ScoringEngine(new ScoringOptions(), components: [null!])));
        Assert.Equal("redFlags", ParamOf(() => _ = new ScoringEngine(new ScoringOptions(), redFlags: [null!])));
        Assert.Equal("features", ParamOf(() => _ = new ScoringEngine(new ScoringOptions(), features: [null!])));
        var error = Assert.Throws<ArgumentException>(() => _ = new ScoringEngine(new ScoringOptions(), features: [null!]));
        Assert.StartsWith("signals, components, redFlags and features must not contain null.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_and_out_of_range_arguments_are_named()
    {
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => Engine.WithModel(null!)).ParamName);
        Assert.Equal("snapshot", Assert.Throws<ArgumentNullException>(() => Engine.Score(null!)).ParamName);
        Assert.Equal("batch", Assert.Throws<ArgumentNullException>(() => Engine.ScoreBatch(null!, new BatchScore[1])).ParamName);
        Assert.Equal("sentiment", Assert.Throws<ArgumentOutOfRangeException>(() => Engine.SentimentBandOf(1.5)).ParamName);
        Assert.Equal("sentiment", Assert.Throws<ArgumentOutOfRangeException>(() => Engine.SentimentBandOf(double.NaN)).ParamName);
        Assert.Equal(SentimentBand.Negative, Engine.SentimentBandOf(0));
        Assert.Equal(SentimentBand.Positive, Engine.SentimentBandOf(1));

        var batch = Engine.CreateBatch(10);
        Assert.Equal("firstRow", Assert.Throws<ArgumentOutOfRangeException>(() => Engine.ScoreBatch(batch, -1, new BatchScore[1])).ParamName);
        var tooLong = Assert.Throws<ArgumentException>(() => Engine.ScoreBatch(batch, 3, new BatchScore[8]));
        Assert.Equal("results", tooLong.ParamName);
        Assert.StartsWith("Rows 3 to 10 do not fit the batch's 10 rows.", tooLong.Message, StringComparison.Ordinal);

        var foreign = new ScoringEngine(new ScoringOptions(), features: [ChurnFeature.Numeric("seats", 0, 100, "seats")]).CreateBatch(10);
        var other = Assert.Throws<ArgumentException>(() => Engine.ScoreBatch(foreign, new BatchScore[1]));
        Assert.Equal("batch", other.ParamName);
        Assert.StartsWith("batch was created by another ScoringEngine; create it with this engine's CreateBatch.", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scoring_is_counted_by_path()
    {
        using var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var customers = new MetricCollector<long>(meters, "RetentionKit.Scoring", "retentionkit.scoring.customers");
        var engine = new ScoringEngine(new ScoringOptions(), meterFactory: meters);

        engine.ScoreBatch(Snapshots.BatchOf(engine, [Snapshots.Healthy("a"), Snapshots.Healthy("b"), Snapshots.Healthy("c")]), new BatchScore[3]);
        _ = engine.Score(Snapshots.Healthy());

        var measurements = customers.GetMeasurementSnapshot();
        Assert.Equal(2, measurements.Count);
        Assert.Equal(3, measurements[0].Value);
        Assert.Equal("batch", measurements[0].Tags["path"]);
        Assert.Equal(1, measurements[1].Value);
        Assert.Equal("explained", measurements[1].Tags["path"]);
    }

    [Fact]
    public void A_measured_signal_of_weight_zero_earns_no_points_when_it_alone_is_measured_in_its_category()
    {
        var options = new ScoringOptions();
        options.Signals[SignalNames.CompetitorTrial].Weight = 0;
        var engine = new ScoringEngine(options);
        var snapshot = new CustomerSnapshot(Snapshots.Customer, Snapshots.Day) { CompetitorTrials = 0, DaysPaymentLate = 0 };

        var signals = engine.Score(snapshot).Risk.Signals;

        Assert.Equal(0, signals.Single(s => s.Key.Name == SignalNames.CompetitorTrial).Weight);
        Assert.Equal(100, signals.Single(s => s.Key.Name == SignalNames.LatePayment).Weight, 12);
        Assert.All(signals, s => Assert.True(double.IsFinite(s.Weight), $"{s.Key} has {s.Weight} points"));
    }

    [Fact]
    public void Signals_of_a_category_weighted_zero_earn_no_points_when_nothing_else_is_measured()
    {
        var options = new ScoringOptions();
        options.CategoryWeights.Competitive = 0;
        var engine = new ScoringEngine(options);
        var snapshot = new CustomerSnapshot(Snapshots.Customer, Snapshots.Day) { CompetitorTrials = 1 };

        var signals = engine.Score(snapshot).Risk.Signals;

        Assert.All(signals, s => Assert.Equal(0, s.Weight));
    }

    [Fact]
    public void Comments_are_scored_by_their_mean_sentiment_only_when_the_snapshot_gives_none()
    {
        var analyser = new TableAnalyser(new Dictionary<string, double?> { ["slow"] = 0.1, ["fine"] = 0.3, ["?"] = null });
        var engine = new ScoringEngine(new ScoringOptions(), sentimentAnalyzer: analyser);
        var withComments = Snapshots.Healthy() with { CommentSentiment = null, Comments = ["slow", "fine", "?"] };

        // (0.1 + 0.3) ÷ 2 = 0.2: negative; the comment the analyser cannot read is left out of the mean.
        Assert.Equal(SentimentBand.Negative, engine.Score(withComments).Risk.Sentiment);
        Assert.Equal(SentimentBand.Positive, engine.Score(withComments with { CommentSentiment = 0.9 }).Risk.Sentiment);
        Assert.Null(engine.Score(withComments with { Comments = ["?"] }).Risk.Sentiment);
    }

    [Theory]
    [InlineData(0d, SentimentBand.Negative)]
    [InlineData(1d, SentimentBand.Positive)]
    public void An_analyser_may_return_either_end_of_the_scale(double sentiment, SentimentBand band)
    {
        var engine = new ScoringEngine(new ScoringOptions(), sentimentAnalyzer: new TableAnalyser(new Dictionary<string, double?> { ["x"] = sentiment }));

        Assert.Equal(band, engine.Score(Snapshots.Healthy() with { CommentSentiment = null, Comments = ["x"] }).Risk.Sentiment);
    }

    [Fact]
    public void An_analyser_outside_the_scale_is_named()
    {
        var engine = new ScoringEngine(new ScoringOptions(), sentimentAnalyzer: new TableAnalyser(new Dictionary<string, double?> { ["x"] = 1.5 }));

        var error = Assert.Throws<InvalidOperationException>(() => engine.Score(Snapshots.Healthy() with { CommentSentiment = null, Comments = ["x"] }));

        Assert.Equal("The sentiment analyser TableAnalyser returned 1.5; a sentiment must be between 0 and 1.", error.Message);
    }

    [Fact]
    public void A_measure_no_term_reads_is_carried_whatever_its_value()
    {
        var snapshot = Snapshots.Healthy() with { AdditionalMeasures = ImmutableDictionary<MeasureKey, double>.Empty.Add(new MeasureKey("switched_off"), 1e9) };

        Assert.Equal(Engine.Score(Snapshots.Healthy()).Risk.ChurnProbability, Engine.Score(snapshot).Risk.ChurnProbability);
    }

    [Fact]
    public void A_categorical_feature_written_as_a_fraction_is_rejected_on_both_paths()
    {
        var contract = ChurnFeature.Categorical("contract", ["Monthly", "Yearly"], "Monthly", "contract term");
        var engine = new ScoringEngine(new ScoringOptions(), features: [contract]);
        var snapshot = Snapshots.Healthy() with { AdditionalMeasures = ImmutableDictionary<MeasureKey, double>.Empty.Add(contract.Measure.Key, 0.5) };

        var error = Assert.Throws<ArgumentException>(() => engine.Score(snapshot));

        Assert.Equal("snapshot", error.ParamName);
        Assert.StartsWith("snapshot.AdditionalMeasures[contract] is 0.5; the feature takes a whole number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_tickets_above_all_tickets_are_rejected_on_both_paths()
    {
        var snapshot = Snapshots.Healthy() with { SupportTickets = 2, NegativeTickets = 3 };

        var explained = Assert.Throws<ArgumentException>(() => Engine.Score(snapshot));
        Assert.StartsWith("snapshot.NegativeTickets (3) must not exceed snapshot.SupportTickets (2) of c-1.", explained.Message, StringComparison.Ordinal);

        var batch = Engine.CreateBatch(20);
        for (var i = 0; i < 20; i++)
        {
            batch.Write(i, Snapshots.Healthy("b" + i));
        }

        batch.Column(Measures.NegativeTickets)[17] = 3;
        var error = Assert.Throws<ArgumentException>(() => Engine.ScoreBatch(batch, new BatchScore[20]));
        Assert.StartsWith("batch row 17: NegativeTickets (3) must not exceed SupportTickets (1).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opened_above_sent_in_the_first_rows_of_a_long_batch_is_found()
    {
        var batch = Engine.CreateBatch(40);
        for (var i = 0; i < 40; i++)
        {
            batch.Write(i, Snapshots.Healthy("b" + i));
        }

        batch.Column(Measures.EmailsOpened)[1] = 11;

        var error = Assert.Throws<ArgumentException>(() => Engine.ScoreBatch(batch, new BatchScore[40]));

        Assert.StartsWith("batch row 1: EmailsOpened (11) must not exceed EmailsSent (10).", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(13, 12)]
    [InlineData(13, 9)]
    [InlineData(7, 6)]
    [InlineData(21, 20)]
    public void A_bad_value_in_the_rows_after_the_last_whole_vector_is_found(int rows, int badRow)
    {
        var batch = Engine.CreateBatch(rows);
        for (var i = 0; i < rows; i++)
        {
            batch.Write(i, Snapshots.Healthy("b" + i));
        }

        batch.SetMissing(Measures.Nps, badRow - 1);
        batch.Column(Measures.Nps)[badRow] = 12;

        var error = Assert.Throws<ArgumentException>(() => Engine.ScoreBatch(batch, new BatchScore[rows]));

        Assert.StartsWith($"batch column Nps, row {badRow}, is 12", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_bad_values_in_the_tail_are_found_as_surely_as_one()
    {
        var batch = Engine.CreateBatch(13);
        for (var i = 0; i < 13; i++)
        {
            batch.Write(i, Snapshots.Healthy("b" + i));
        }

        batch.Column(Measures.FeatureShare)[11] = 2;
        batch.Column(Measures.Nps)[12] = -1;

        var error = Assert.Throws<ArgumentException>(() => Engine.ScoreBatch(batch, new BatchScore[13]));

        Assert.StartsWith("batch column FeatureShare, row 11, is 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_at_the_ends_of_their_range_are_accepted_in_every_row()
    {
        var batch = Engine.CreateBatch(13);
        for (var i = 0; i < 13; i++)
        {
            batch.Write(i, Snapshots.Healthy("b" + i) with { Nps = i % 2 == 0 ? 0 : 10, FeatureShare = i % 2 == 0 ? 1 : 0 });
        }

        var results = new BatchScore[13];
        Engine.ScoreBatch(batch, results);

        Assert.All(results, r => Assert.NotEqual(default, r.Level));
    }

    private sealed class TableAnalyser(Dictionary<string, double?> table) : ISentimentAnalyzer
    {
        public double? Analyze(string text) => table[text];
    }
}
