using System.Linq;

namespace RetentionKit.Scoring.Tests;

public class RiskAssessmentTests
{
    private static readonly ScoringEngine Engine = Snapshots.DefaultEngine;

    [Fact]
    public void NoActiveSignal_IsLow_AtTheBandMinimum()
    {
        var risk = Engine.Score(Snapshots.Healthy()).Risk;

        Assert.Equal(0d, risk.Score);
        Assert.Equal(RiskLevel.Low, risk.Level);
        Assert.Equal(0.05, risk.ChurnProbability);
        Assert.Empty(risk.Actions);
    }

    [Fact]
    public void OneSignal_IsLow_ItsPointsNormalisedWithinTheCategory()
    {
        var risk = Engine.Score(Snapshots.Healthy() with { FeatureShare = 0.1 }).Risk;

        // Behavioural weighs 40 of 100; reduced usage carries 20 of the category's 70.
        // The kernel sums weights in single precision (the measures' own): a 0–100 score within 1e-4.
        var expected = 100d * (40d * (20d / 70d)) / 100d;
        Assert.Equal(expected, risk.Score!.Value, 1e-4);
        Assert.Equal(RiskLevel.Low, risk.Level);
        Assert.Equal(0.05 + (0.34 * risk.Score!.Value / 100d), risk.ChurnProbability!.Value, 15); // 5 % to 39 %: the top is exclusive
        Assert.Equal([SignalAction.SuccessCoaching], risk.Actions.ToArray());
    }

    /// <summary>Regression (issue 24): a lone measured signal gave 0.3999…, printed as "40 %", the medium cut-off.</summary>
    [Fact]
    public void A_lone_measured_active_signal_stays_below_the_medium_cut_off_when_printed()
    {
        var lone = new CustomerSnapshot(Snapshots.Customer, Snapshots.Day) { FeatureShare = 0.1 };

        var risk = Engine.Score(lone).Risk;

        Assert.Equal((100d, RiskLevel.Low), (risk.Score!.Value, risk.Level));
        Assert.Equal(0.39, risk.ChurnProbability!.Value, 12);
        Assert.Equal("39 %", risk.ChurnProbability.Value.ToString("0 %", System.Globalization.CultureInfo.InvariantCulture));
        var gaps = new ScoringOptions();
        gaps.RiskLevels.Low.Maximum = 0.30; // bands that do not touch keep their own top
        Assert.Equal(0.30, new ScoringEngine(gaps).Score(lone).Risk.ChurnProbability!.Value, 12);
    }

    [Fact]
    public void TwoSignals_AreMedium_WithinFortyToSeventyPercent()
    {
        var risk = Engine.Score(Snapshots.Healthy() with { FeatureShare = 0.1, DaysPaymentLate = 10 }).Risk;

        Assert.Equal(RiskLevel.Medium, risk.Level);
        Assert.InRange(risk.ChurnProbability!.Value, 0.40, 0.70);
    }

    [Fact]
    public void ThreeSignals_AreHigh_AtSeventyPercentOrMore()
    {
        var risk = Engine.Score(Snapshots.Healthy() with { FeatureShare = 0.1, DaysPaymentLate = 10, SurveySatisfaction = 5 }).Risk;

        Assert.Equal(RiskLevel.High, risk.Level);
        Assert.InRange(risk.ChurnProbability!.Value, 0.70, 0.95);
    }

    [Theory]
    [InlineData(1, 1, 0, 9, 0.6, 0.90, "CompetitorTrialAndAlternativeSearch")]
    [InlineData(0, 1, 1, 9, 0.6, 0.80, "ContractReviewAndAlternativeSearch")]
    [InlineData(0, 0, 0, 4, 0.1, 0.75, "LowNpsAndReducedUsage")]
    public void RedFlag_RaisesTheProbabilityFloor(double trials, double searches, double reviews, double nps, double features, double floor, string name)
    {
        var score = Engine.Score(Snapshots.Healthy() with { CompetitorTrials = trials, AlternativeSearches = searches, ContractReviews = reviews, Nps = nps, FeatureShare = features });

        Assert.Equal(floor, score.Risk.ChurnProbability);
        Assert.Equal(name, Assert.Single(score.Risk.RedFlags).Name);
        Assert.True(score.Notes.HasFlag(ScoreNotes.RedFlagFloorApplied));
        Assert.Equal(RiskLevel.Medium, score.Risk.Level);
    }

    [Fact]
    public void RedFlag_NpsAtFive_DoesNotMatch_BecauseTheRuleIsBelowFive()
    {
        var score = Engine.Score(Snapshots.Healthy() with { Nps = 5, FeatureShare = 0.1 });

        Assert.Empty(score.Risk.RedFlags);
        Assert.True(score.Risk.ChurnProbability < 0.70);
    }

    [Fact]
    public void RedFlag_DoesNotChangeTheWeightedScore()
    {
        var withFlag = Engine.Score(Snapshots.Healthy() with { CompetitorTrials = 1, AlternativeSearches = 1 }).Risk;
        var noFlags = new ScoringEngine(new ScoringOptions { RedFlags = [] }).Score(Snapshots.Healthy() with { CompetitorTrials = 1, AlternativeSearches = 1 }).Risk;

        Assert.Equal(noFlags.Score, withFlag.Score);
        Assert.True(withFlag.ChurnProbability > noFlags.ChurnProbability);
    }

    [Fact]
    public void AllSignalInputsMissing_RiskIsUndefined_NotZero()
    {
        var score = Engine.Score(new CustomerSnapshot(Snapshots.Customer, Snapshots.Day) { UsageOfLimit = 0.5 });

        Assert.Null(score.Risk.Score);
        Assert.Null(score.Risk.ChurnProbability);
        Assert.Equal(RiskLevel.Unknown, score.Risk.Level);
        Assert.True(score.Notes.HasFlag(ScoreNotes.RiskUndefined));
    }

    [Fact]
    public void MissingCategory_ItsWeightIsSharedAmongTheOthers()
    {
        // No competitive input at all: behavioural 40 and sentiment 30 share the 100 points.
        var snapshot = Snapshots.Healthy() with { CompetitorVisits = null, AlternativeSearches = null, CompetitorEvaluations = null, CompetitorTrials = null, ContractReviews = null, DaysPaymentLate = 10 };

        var risk = Engine.Score(snapshot).Risk;

        Assert.Equal(100d * (40d * (15d / 70d)) / 70d, risk.Score!.Value, 1e-4);
    }

    [Fact]
    public void Actions_OrderedByContribution()
    {
        var risk = Engine.Score(Snapshots.Healthy() with { CompetitorTrials = 1, NegativeSocialMentions = 1 }).Risk;

        Assert.Equal([SignalAction.RetentionOffer, SignalAction.SocialMediaResponse], risk.Actions.ToArray());
    }

    [Theory]
    [InlineData(0.29, SentimentBand.Negative)]
    [InlineData(0.30, SentimentBand.Neutral)]
    [InlineData(0.50, SentimentBand.Neutral)]
    [InlineData(0.51, SentimentBand.Positive)]
    public void SentimentBand_Edges(double sentiment, SentimentBand band) => Assert.Equal(band, Engine.SentimentBandOf(sentiment));

    [Fact]
    public void Sentiment_FromComments_FeedsTheSignal()
    {
        var score = Engine.Score(Snapshots.Healthy() with { CommentSentiment = null, Comments = ["Terrible support, the app is slow and buggy."] });

        Assert.Equal(SentimentBand.Negative, score.Risk.Sentiment);
        Assert.Equal(SignalState.Active, score.Risk.Signals.Single(s => s.Key.Name == "NegativeComments").State);
    }
}
