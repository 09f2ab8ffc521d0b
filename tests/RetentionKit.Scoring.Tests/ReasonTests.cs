using System.Linq;

namespace RetentionKit.Scoring.Tests;

// S7: every built-in signal and component says what it read, against what, in plain language.
public sealed class ReasonTests
{
    private static readonly CustomerSnapshot Everything = new(Snapshots.Customer, Snapshots.Day)
    {
        EmailsSent = 12, EmailsOpened = 3, FeatureShare = 0.25, SupportTickets = 5, DaysPaymentLate = 9, Logins = 6, BaselineLogins = 20,
        Nps = 6, CommentSentiment = 0.2, NegativeSocialMentions = 2, SurveySatisfaction = 5, NegativeTickets = 1, CompetitorVisits = 4,
        AlternativeSearches = 1, CompetitorEvaluations = 1, CompetitorTrials = 1, ContractReviews = 1, UsageOfLimit = 0.4, RoiMultiple = 1.5,
    };

    private static readonly CustomerScore Score = Snapshots.DefaultEngine.Score(Everything);

    public static TheoryData<string, string> SignalReasons() => new()
    {
        { "LowEmailEngagement", "opened 3 of 12 e-mails in the last 14 days (25%); fires below 50%" },
        { "ReducedUsage", "used 25% of the features in the last 30 days; fires below 30%" },
        { "IncreasedSupport", "opened 5 support tickets in the last 30 days; fires above 3" },
        { "LatePayment", "payment 9 days late; fires above 7 days" },
        { "LowLoginFrequency", "logged in 6 times in the last 30 days against a normal 20 (30%); fires below 50% of normal" },
        { "NegativeFeedback", "latest NPS answer 6 of 10; fires below 7" },
        { "NegativeComments", "comment sentiment 0.20 on a 0-1 scale; fires below 0.30" },
        { "NegativeSocialMentions", "2 negative social-media mentions in the last 30 days; fires at 1 or more" },
        { "LowSurveySatisfaction", "survey satisfaction 5 of 10; fires below 7" },
        { "NegativeTicketSentiment", "1 support tickets with negative sentiment in the last 30 days; fires at 1 or more" },
        { "CompetitorVisits", "4 visits to competitors' sites in the last 7 days; fires at 3 or more" },
        { "AlternativeSearches", "1 searches for alternatives in the last 30 days; fires at 1 or more" },
        { "CompetitorEvaluation", "1 active competitor evaluations in the last 30 days; fires at 1 or more" },
        { "CompetitorTrial", "1 competitor trial sign-ups in the last 30 days; fires at 1 or more" },
        { "ContractReview", "1 contract reviews started in the last 30 days; fires at 1 or more" },
    };

    public static TheoryData<string, string> ComponentReasons() => new()
    {
        { "Engagement", "logins against the customer's normal 30% scores 30 (weight 60%); e-mail open rate 25% scores 25 (weight 40%)" },
        { "Usage", "share of features used (full marks at 60 %) 25% scores 41.7 (weight 70%); use of the plan's limit (full marks at 80 %) 40% scores 50 (weight 30%)" },
        { "Satisfaction", "NPS answer 6 scores 60 (weight 40%); survey satisfaction 5 scores 50 (weight 40%); comment sentiment 0.20 scores 20 (weight 20%)" },
        { "Value", "days payment late (0 scores 100, 30 or more scores 0) 9 scores 70 (weight 50%); realised ROI (full marks at 3x) 1.5x scores 50 (weight 50%)" },
    };

    [Theory]
    [MemberData(nameof(SignalReasons))]
    public void EverySignal_ExplainsItsReading(string signal, string reason)
    {
        var explanation = Score.Risk.Signals.Single(s => s.Key.Name == signal);

        Assert.Equal(SignalState.Active, explanation.State);
        Assert.Equal(reason, explanation.Reason);
    }

    [Theory]
    [MemberData(nameof(ComponentReasons))]
    public void EveryComponent_ExplainsItsParts(string component, string reason) =>
        Assert.Equal(reason, Score.Retention.Components.Single(c => c.Key.Name == component).Reason);

    [Fact]
    public void A_missing_signal_names_the_measures_it_lacks()
    {
        var score = Snapshots.DefaultEngine.Score(new CustomerSnapshot(Snapshots.Customer, Snapshots.Day) { Nps = 9 });

        Assert.Equal(
            "no data (e-mails opened in the e-mail window, e-mails sent in the e-mail window); the signal's weight goes to the measured signals of its category",
            score.Risk.Signals.Single(s => s.Key.Name == "LowEmailEngagement").Reason);
        Assert.All(score.Risk.Signals.Where(s => s.Key.Name != "NegativeFeedback"), s => Assert.StartsWith("no data (", s.Reason, System.StringComparison.Ordinal));
    }
}
