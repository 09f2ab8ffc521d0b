using System.Linq;

namespace RetentionKit.Scoring.Tests;

public class RetentionScoreTests
{
    private static readonly ScoringEngine Engine = Snapshots.DefaultEngine;

    [Fact]
    public void Healthy_ScoresTheWeightedComponents()
    {
        var retention = Engine.Score(Snapshots.Healthy()).Retention;

        // Measures are stored in single precision (0.8 is 0.800000012), hence five decimals.
        Assert.Equal(Snapshots.HealthyRetention, retention.Value!.Value, 5);
        Assert.Equal(RetentionBand.High, retention.Band);
        Assert.Equal([92d, 100d, 88d, 100d], retention.Components.Select(c => System.Math.Round(c.Value!.Value, 5)).ToArray());
        Assert.Equal([0.4, 0.3, 0.2, 0.1], retention.Components.Select(c => c.Weight).ToArray());
        Assert.Equal("Growth and advocacy", retention.Guidance!.Objective);
    }

    [Theory]
    [InlineData(39, RetentionBand.AtRisk)]
    [InlineData(39.99, RetentionBand.AtRisk)]
    [InlineData(40, RetentionBand.Low)]
    [InlineData(59, RetentionBand.Low)]
    [InlineData(60, RetentionBand.Medium)]
    [InlineData(79, RetentionBand.Medium)]
    [InlineData(80, RetentionBand.High)]
    [InlineData(100, RetentionBand.High)]
    [InlineData(0, RetentionBand.AtRisk)]
    public void Band_Edges(double score, RetentionBand band) => Assert.Equal(band, Engine.RetentionBandOf(new Score(score)));

    [Theory]
    [InlineData(RetentionBand.High, "Upsell opportunities", "Success stories", "Premium features")]
    [InlineData(RetentionBand.Medium, "Engagement campaigns", "Value reinforcement", "Standard features")]
    [InlineData(RetentionBand.Low, "Re-engagement campaigns", "Problem solving", "Support and training")]
    [InlineData(RetentionBand.AtRisk, "Retention campaigns", "Personal outreach", "Special offers")]
    public void Guidance_PerBand(RetentionBand band, string action, string communication, string rewards)
    {
        var guidance = RetentionBandGuidance.For(band);

        Assert.Equal((action, communication, rewards), (guidance.Action, guidance.Communication, guidance.Rewards));
    }

    [Fact]
    public void MissingPart_ItsWeightGoesToTheRestOfTheComponent_AndIsFlagged()
    {
        var score = Engine.Score(Snapshots.Healthy() with { RoiMultiple = null, DaysPaymentLate = 15 });

        var value = score.Retention.Components.Single(c => c.Key.Name == "Value");
        Assert.Equal(50d, value.Value!.Value, 10);
        Assert.True(value.IsPartial);
        Assert.Contains("realised ROI (full marks at 3x): no data", value.Reason, System.StringComparison.Ordinal);
        Assert.True(score.Notes.HasFlag(ScoreNotes.ComponentInputsMissing));
    }

    [Fact]
    public void MissingComponent_ItsWeightIsSharedAmongTheOthers_NeverAZero()
    {
        var score = Engine.Score(Snapshots.Healthy() with { RoiMultiple = null, DaysPaymentLate = null });

        Assert.Null(score.Retention.Components.Single(c => c.Key.Name == "Value").Value);
        Assert.Equal(((40 * 92d) + (30 * 100d) + (20 * 88d)) / 90d, score.Retention.Value!.Value, 5);
        Assert.Equal(1d, score.Retention.Components.Sum(c => c.Weight), 12);
    }

    [Fact]
    public void NoComponentInput_ScoreIsUndefined()
    {
        var score = Engine.Score(new CustomerSnapshot(Snapshots.Customer, Snapshots.Day) { CompetitorVisits = 0 });

        Assert.Null(score.Retention.Value);
        Assert.Null(score.Retention.Band);
        Assert.Null(score.Retention.Guidance);
        Assert.True(score.Notes.HasFlag(ScoreNotes.RetentionUndefined));
    }

    [Fact]
    public void ComponentWeights_FromOptions()
    {
        var options = new ScoringOptions();
        options.RetentionScore.ComponentWeights["Engagement"] = 0;
        var score = new ScoringEngine(options).Score(Snapshots.Healthy());

        Assert.Equal(((30 * 100d) + (20 * 88d) + (10 * 100d)) / 60d, score.Retention.Value!.Value, 5);
    }
}
