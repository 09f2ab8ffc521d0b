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
}
