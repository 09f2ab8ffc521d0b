using System;
using System.Linq;

namespace RetentionKit.Scoring.Tests.Signals;

public class BuiltInSignalTests
{
    private static readonly ScoringEngine Engine = Snapshots.DefaultEngine;

    // Each signal at, just below and just above its threshold, with the spec's strictness:
    // "< 50 %" and "> 3" do not fire at the threshold; "3+" and "at least one" do.
    [Theory]
    [InlineData("LowEmailEngagement", 5, false)]
    [InlineData("LowEmailEngagement", 4, true)]
    [InlineData("LowEmailEngagement", 6, false)]
    [InlineData("ReducedUsage", 0.30, false)]
    [InlineData("ReducedUsage", 0.29, true)]
    [InlineData("ReducedUsage", 0.31, false)]
    [InlineData("IncreasedSupport", 3, false)]
    [InlineData("IncreasedSupport", 2, false)]
    [InlineData("IncreasedSupport", 4, true)]
    [InlineData("LatePayment", 7, false)]
    [InlineData("LatePayment", 6, false)]
    [InlineData("LatePayment", 8, true)]
    [InlineData("LowLoginFrequency", 10, false)]
    [InlineData("LowLoginFrequency", 9, true)]
    [InlineData("LowLoginFrequency", 11, false)]
    [InlineData("NegativeFeedback", 7, false)]
    [InlineData("NegativeFeedback", 6, true)]
    [InlineData("NegativeFeedback", 8, false)]
    [InlineData("NegativeComments", 0.30, false)]
    [InlineData("NegativeComments", 0.29, true)]
    [InlineData("NegativeComments", 0.31, false)]
    [InlineData("NegativeSocialMentions", 1, true)]
    [InlineData("NegativeSocialMentions", 0, false)]
    [InlineData("NegativeSocialMentions", 2, true)]
    [InlineData("LowSurveySatisfaction", 7, false)]
    [InlineData("LowSurveySatisfaction", 6, true)]
    [InlineData("LowSurveySatisfaction", 8, false)]
    [InlineData("NegativeTicketSentiment", 1, true)]
    [InlineData("NegativeTicketSentiment", 0, false)]
    [InlineData("NegativeTicketSentiment", 2, true)]
    [InlineData("CompetitorVisits", 3, true)]
    [InlineData("CompetitorVisits", 2, false)]
    [InlineData("CompetitorVisits", 4, true)]
    [InlineData("AlternativeSearches", 1, true)]
    [InlineData("AlternativeSearches", 0, false)]
    [InlineData("AlternativeSearches", 2, true)]
    [InlineData("CompetitorEvaluation", 1, true)]
    [InlineData("CompetitorEvaluation", 0, false)]
    [InlineData("CompetitorEvaluation", 2, true)]
    [InlineData("CompetitorTrial", 1, true)]
    [InlineData("CompetitorTrial", 0, false)]
    [InlineData("CompetitorTrial", 2, true)]
    [InlineData("ContractReview", 1, true)]
    [InlineData("ContractReview", 0, false)]
    [InlineData("ContractReview", 2, true)]
    public void Signal_AtBelowAndAboveThreshold_FiresAsSpecified(string key, double value, bool fires)
    {
        var score = Engine.Score(Set(Snapshots.Healthy(), key, value));

        var signal = score.Risk.Signals.Single(s => s.Key.Name == key);
        Assert.Equal(fires ? SignalState.Active : SignalState.Inactive, signal.State);
        Assert.Equal(fires ? 1 : 0, score.Risk.ActiveSignals.Length);
    }

    [Fact]
    public void Catalogue_HasTheFifteenSignalsOfS1_WithCategoriesAndActions()
    {
        var signals = Engine.Signals;

        Assert.Equal(15, signals.Length);
        Assert.Equal(5, signals.Count(s => s.Category == SignalCategory.Behavioural));
        Assert.Equal(5, signals.Count(s => s.Category == SignalCategory.Sentiment));
        Assert.Equal(5, signals.Count(s => s.Category == SignalCategory.Competitive));
        Assert.Equal(SignalAction.PaymentReminder, signals.Single(s => s.Key.Name == "LatePayment").Action);
        Assert.Equal(SignalAction.RetentionOffer, signals.Single(s => s.Key.Name == "CompetitorTrial").Action);
        Assert.Equal(15, signals.Select(s => s.Action).Distinct().Count());
    }

    [Fact]
    public void Reason_EmailEngagement_QuotesCountsWindowAndThreshold()
    {
        var score = Engine.Score(Snapshots.Healthy() with { EmailsSent = 12, EmailsOpened = 3 });

        var signal = score.Risk.Signals.Single(s => s.Key.Name == "LowEmailEngagement");
        Assert.Equal("opened 3 of 12 e-mails in the last 14 days (25%); fires below 50%", signal.Reason);
        Assert.Equal(0.25, signal.Value);
        Assert.Equal(0.5, signal.Threshold);
    }

    [Fact]
    public void Reason_MissingInput_SaysNoDataAndWhereTheWeightWent()
    {
        var score = Engine.Score(Snapshots.Healthy() with { Nps = null });

        var signal = score.Risk.Signals.Single(s => s.Key.Name == "NegativeFeedback");
        Assert.Equal(SignalState.Missing, signal.State);
        Assert.Null(signal.Value);
        Assert.Equal(0d, signal.Weight);
        Assert.StartsWith("no data (latest NPS answer, 0-10)", signal.Reason, StringComparison.Ordinal);
        Assert.True(score.Notes.HasFlag(ScoreNotes.SignalInputsMissing));
    }

    [Fact]
    public void EmailEngagement_NoEmailsSent_IsMissingNotActive()
    {
        var score = Engine.Score(Snapshots.Healthy() with { EmailsSent = 0, EmailsOpened = 0 });

        Assert.Equal(SignalState.Missing, score.Risk.Signals.Single(s => s.Key.Name == "LowEmailEngagement").State);
    }

    [Fact]
    public void Thresholds_FromOptions_MoveTheEdge()
    {
        var options = new ScoringOptions();
        options.Signals["ReducedUsage"].Threshold = 0.5;
        var engine = new ScoringEngine(options);

        var score = engine.Score(Snapshots.Healthy() with { FeatureShare = 0.45 });

        Assert.True(score.Risk.Signals.Single(s => s.Key.Name == "ReducedUsage").State == SignalState.Active);
        Assert.Contains("fires below 50%", score.Risk.Signals.Single(s => s.Key.Name == "ReducedUsage").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Disabled_Signal_IsNotEvaluated()
    {
        var options = new ScoringOptions();
        options.Signals["LatePayment"].Enabled = false;
        var engine = new ScoringEngine(options);

        var score = engine.Score(Snapshots.Healthy() with { DaysPaymentLate = 30 });

        Assert.Equal(14, engine.Signals.Length);
        Assert.DoesNotContain(score.Risk.Signals, s => s.Key.Name == "LatePayment");
        Assert.Empty(score.Risk.ActiveSignals);
    }

    internal static CustomerSnapshot Set(CustomerSnapshot s, string key, double value) => key switch
    {
        "LowEmailEngagement" => s with { EmailsSent = 10, EmailsOpened = value },
        "ReducedUsage" => s with { FeatureShare = value },
        "IncreasedSupport" => s with { SupportTickets = value },
        "LatePayment" => s with { DaysPaymentLate = value },
        "LowLoginFrequency" => s with { Logins = value, BaselineLogins = 20 },
        "NegativeFeedback" => s with { Nps = value },
        "NegativeComments" => s with { CommentSentiment = value },
        "NegativeSocialMentions" => s with { NegativeSocialMentions = value },
        "LowSurveySatisfaction" => s with { SurveySatisfaction = value },
        "NegativeTicketSentiment" => s with { SupportTickets = 2, NegativeTickets = value },
        "CompetitorVisits" => s with { CompetitorVisits = value },
        "AlternativeSearches" => s with { AlternativeSearches = value },
        "CompetitorEvaluation" => s with { CompetitorEvaluations = value },
        "CompetitorTrial" => s with { CompetitorTrials = value },
        "ContractReview" => s with { ContractReviews = value },
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "unknown signal"),
    };
}
