using System;

namespace RetentionKit.Scoring.Tests;

public class GuardTests
{
    private static readonly ScoringEngine Engine = Snapshots.DefaultEngine;

    [Theory]
    [InlineData("FeatureShare", 1.5)]
    [InlineData("FeatureShare", -0.1)]
    [InlineData("Nps", 11)]
    [InlineData("Nps", double.NaN)]
    [InlineData("SupportTickets", -1)]
    [InlineData("CommentSentiment", double.PositiveInfinity)]
    public void Snapshot_ValueOutOfRange_ThrowsNamingTheMeasure(string measure, double value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => measure switch
        {
            "FeatureShare" => Snapshots.Healthy() with { FeatureShare = value },
            "Nps" => Snapshots.Healthy() with { Nps = value },
            "SupportTickets" => Snapshots.Healthy() with { SupportTickets = value },
            _ => Snapshots.Healthy() with { CommentSentiment = value },
        });

        Assert.Equal(measure, error.ParamName);
        Assert.Contains("must be a finite number between", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_With_DoesNotChangeTheOriginal()
    {
        var original = Snapshots.Healthy();
        _ = original with { Nps = 1 };

        Assert.Equal(9, original.Nps);
    }

    [Fact]
    public void Score_OpenedMoreThanSent_ThrowsNamingBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => Engine.Score(Snapshots.Healthy() with { EmailsSent = 3, EmailsOpened = 4 }));

        Assert.Equal("snapshot", error.ParamName);
        Assert.StartsWith("snapshot.EmailsOpened (4) must not exceed snapshot.EmailsSent (3) of c-1.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScoreBatch_ValueOutOfRange_ThrowsNamingColumnAndRow_AndWritesNothing()
    {
        var batch = Engine.CreateBatch(40);
        batch.Column(Measures.Nps)[33] = 12;
        var results = new BatchScore[40];

        var error = Assert.Throws<ArgumentException>(() => Engine.ScoreBatch(batch, results));

        Assert.Equal("batch", error.ParamName);
        Assert.StartsWith("batch column Nps, row 33, is 12; it must be between 0 and 10", error.Message, StringComparison.Ordinal);
        Assert.All(results, r => Assert.Equal(default, r.Level));
    }

    [Fact]
    public void ScoreBatch_BadValueInALaterChunk_ClearsEveryResult()
    {
        // Chunks are checked as they are scored: rows before the bad one were scored when it is found, and are cleared.
        var batch = Engine.CreateBatch(1000);
        for (var i = 0; i < batch.Capacity; i++)
        {
            batch.Write(i, Snapshots.Healthy() with { FeatureShare = 0.1 });
        }

        var results = new BatchScore[1000];
        Engine.ScoreBatch(batch, results);
        Assert.All(results, r => Assert.Equal(RiskLevel.Low, r.Level));
        batch.Column(Measures.FeatureShare)[700] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => Engine.ScoreBatch(batch, results));

        Assert.StartsWith("batch column FeatureShare, row 700, is NaN", error.Message, StringComparison.Ordinal);
        Assert.All(results, r => Assert.Equal(default, r));
    }

    [Fact]
    public void ScoreBatch_BatchOfAnotherEngine_Throws()
    {
        var other = new ScoringEngine(new ScoringOptions()).CreateBatch(2);

        var error = Assert.Throws<ArgumentException>(() => Engine.ScoreBatch(other, new BatchScore[2]));

        Assert.Equal("batch", error.ParamName);
    }

    [Fact]
    public void ScoreBatch_MoreResultsThanRows_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Engine.ScoreBatch(Engine.CreateBatch(2), 1, new BatchScore[2]));

        Assert.Equal("results", error.ParamName);
    }

    [Fact]
    public void CreateBatch_ZeroCapacity_Throws() =>
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => Engine.CreateBatch(0)).ParamName);

    [Fact]
    public void Column_UnknownMeasure_Throws() =>
        Assert.Equal("measure", Assert.Throws<ArgumentException>(() => Engine.CreateBatch(1).Column(new MeasureKey("Nope"))).ParamName);

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ñ")]
    public void Keys_Invalid_Throw(string name) =>
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new SignalKey(name)).ParamName);

    [Fact]
    public void Override_NeitherValue_Throws() =>
        Assert.Equal("retentionScore", Assert.Throws<ArgumentException>(() => new ScoreOverride(Snapshots.Customer, null, null, "why", "me", Snapshots.Day)).ParamName);

    [Fact]
    public void Override_UnknownLevel_Throws() =>
        Assert.Equal("riskLevel", Assert.Throws<ArgumentException>(() => new ScoreOverride(Snapshots.Customer, null, RiskLevel.Unknown, "why", "me", Snapshots.Day)).ParamName);

    [Fact]
    public void CalibrationReport_OneOutcome_IsUndefined() =>
        Assert.Equal("churned", Assert.Throws<ArgumentException>(() => CalibrationReport.Evaluate([0.2, 0.3], [false, false])).ParamName);

    [Fact]
    public void Score_WithAnotherCustomersOverride_ThrowsNamingBoth()
    {
        var scoreOverride = new ScoreOverride(new CustomerId("c-2"), new Score(80), null, "call went well", "ana", Snapshots.Day.PlusDays(30));

        var error = Assert.Throws<ArgumentException>(() => Engine.Score(Snapshots.Healthy(), scoreOverride));

        Assert.Equal("scoreOverride", error.ParamName);
        Assert.Contains("The override is customer c-2's, and the snapshot customer c-1's.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void SentimentAnalyser_OutOfRange_IsReportedNamingTheAnalyser(double sentiment)
    {
        var engine = new ScoringEngine(new ScoringOptions(), sentimentAnalyzer: new FixedAnalyzer(sentiment));
        var snapshot = Snapshots.Healthy() with { CommentSentiment = null, Comments = ["great product"] };

        var error = Assert.Throws<InvalidOperationException>(() => engine.Score(snapshot));

        Assert.Contains("The sentiment analyser FixedAnalyzer returned", error.Message, StringComparison.Ordinal);
        Assert.Contains("a sentiment must be between 0 and 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AdditionalMeasure_OutOfItsFeaturesRange_ThrowsNamingIt()
    {
        var engine = Model.ChurnModelTests.FeaturesOnly();
        var snapshot = Model.ChurnModelTests.Customer(12, true, "One year");
        snapshot = snapshot with { AdditionalMeasures = snapshot.AdditionalMeasures.SetItem(new MeasureKey("tenure"), 500) };

        var error = Assert.Throws<ArgumentException>(() => engine.Score(snapshot));

        Assert.Equal("snapshot", error.ParamName);
        Assert.Contains("snapshot.AdditionalMeasures[tenure] is 500; it must be between 0 and 120.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MeasureDefinition_And_ComponentReading_RefuseImpossibleValues()
    {
        Assert.Equal("key", Assert.Throws<ArgumentException>(() => new MeasureDefinition(default, 0, 1, "a share")).ParamName);
        var upsideDown = Assert.Throws<ArgumentOutOfRangeException>(() => new MeasureDefinition(new MeasureKey("seats"), 10, 5, "seats"));
        Assert.Equal("maximum", upsideDown.ParamName);
        Assert.Contains("maximum must not be below minimum (10).", upsideDown.Message, StringComparison.Ordinal);
        Assert.Equal(5, new MeasureDefinition(new MeasureKey("seats"), 5, 5, "seats").Maximum);

        var reading = Assert.Throws<ArgumentOutOfRangeException>(() => new ComponentReading(50, 3, 2));
        Assert.Equal("inputs", reading.ParamName);
        Assert.Contains("inputs must be at least measuredInputs (3).", reading.Message, StringComparison.Ordinal);
        Assert.True(new ComponentReading(50, 2, 2) is { IsPartial: false, IsMissing: false });
    }

    [Fact]
    public void Guidance_ForAnUndefinedBand_Throws() =>
        Assert.Equal("band", Assert.Throws<ArgumentOutOfRangeException>(() => RetentionBandGuidance.For((RetentionBand)9)).ParamName);

    private sealed class FixedAnalyzer(double sentiment) : ISentimentAnalyzer
    {
        public double? Analyze(string text) => sentiment;
    }
}
