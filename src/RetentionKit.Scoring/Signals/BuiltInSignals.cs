using System.Collections.Generic;
using System.Globalization;
using RetentionKit.Scoring.Internal;

namespace RetentionKit.Scoring.Signals;

/// <summary>The 15 signals of S1, built from the options.</summary>
internal static class BuiltInSignals
{
    public static readonly SignalKey LowEmailEngagement = new(SignalNames.LowEmailEngagement);
    public static readonly SignalKey ReducedUsage = new(SignalNames.ReducedUsage);
    public static readonly SignalKey IncreasedSupport = new(SignalNames.IncreasedSupport);
    public static readonly SignalKey LatePayment = new(SignalNames.LatePayment);
    public static readonly SignalKey LowLoginFrequency = new(SignalNames.LowLoginFrequency);
    public static readonly SignalKey NegativeFeedback = new(SignalNames.NegativeFeedback);
    public static readonly SignalKey NegativeComments = new(SignalNames.NegativeComments);
    public static readonly SignalKey NegativeSocialMentions = new(SignalNames.NegativeSocialMentions);
    public static readonly SignalKey LowSurveySatisfaction = new(SignalNames.LowSurveySatisfaction);
    public static readonly SignalKey NegativeTicketSentiment = new(SignalNames.NegativeTicketSentiment);
    public static readonly SignalKey CompetitorVisits = new(SignalNames.CompetitorVisits);
    public static readonly SignalKey AlternativeSearches = new(SignalNames.AlternativeSearches);
    public static readonly SignalKey CompetitorEvaluation = new(SignalNames.CompetitorEvaluation);
    public static readonly SignalKey CompetitorTrial = new(SignalNames.CompetitorTrial);
    public static readonly SignalKey ContractReview = new(SignalNames.ContractReview);

    /// <summary>The catalogue: key, category, action, measure(s), comparison and the defaults (weight, threshold, window in days).</summary>
    public static IReadOnlyList<Entry> Catalogue { get; } =
    [
        new(LowEmailEngagement, SignalCategory.Behavioural, SignalAction.PersonalisedEmail, Col.EmailsOpened, Col.EmailsSent, Comparison.Below, 15, 0.50, 14,
            (row, r, days) => string.Create(CultureInfo.InvariantCulture, $"opened {row.At(Col.EmailsOpened):0} of {row.At(Col.EmailsSent):0} e-mails in the last {days} days ({r.Value:0%}); fires below {r.Threshold:0%}")),
        new(ReducedUsage, SignalCategory.Behavioural, SignalAction.SuccessCoaching, Col.FeatureShare, -1, Comparison.Below, 20, 0.30, 30,
            (row, r, days) => string.Create(CultureInfo.InvariantCulture, $"used {r.Value:0%} of the features in the last {days} days; fires below {r.Threshold:0%}")),
        new(IncreasedSupport, SignalCategory.Behavioural, SignalAction.ProactiveOutreach, Col.SupportTickets, -1, Comparison.Above, 10, 3, 30,
            (row, r, days) => string.Create(CultureInfo.InvariantCulture, $"opened {r.Value:0} support tickets in the last {days} days; fires above {r.Threshold:0}")),
        new(LatePayment, SignalCategory.Behavioural, SignalAction.PaymentReminder, Col.DaysPaymentLate, -1, Comparison.Above, 15, 7, 0,
            (row, r, days) => string.Create(CultureInfo.InvariantCulture, $"payment {r.Value:0} days late; fires above {r.Threshold:0} days")),
        new(LowLoginFrequency, SignalCategory.Behavioural, SignalAction.ReEngagementCampaign, Col.Logins, Col.BaselineLogins, Comparison.Below, 10, 0.50, 30,
            (row, r, days) => string.Create(CultureInfo.InvariantCulture, $"logged in {row.At(Col.Logins):0} times in the last {days} days against a normal {row.At(Col.BaselineLogins):0.#} ({r.Value:0%}); fires below {r.Threshold:0%} of normal")),
        new(NegativeFeedback, SignalCategory.Sentiment, SignalAction.PersonalOutreach, Col.Nps, -1, Comparison.Below, 15, 7, 0,
            (row, r, days) => string.Create(CultureInfo.InvariantCulture, $"latest NPS answer {r.Value:0.#} of 10; fires below {r.Threshold:0.#}")),
        new(NegativeComments, SignalCategory.Sentiment, SignalAction.EscalateToManager, Col.CommentSentiment, -1, Comparison.Below, 10, 0.30, 30,
            (row, r, days) => string.Create(CultureInfo.InvariantCulture, $"comment sentiment {r.Value:0.00} on a 0-1 scale; fires below {r.Threshold:0.00}")),
        new(NegativeSocialMentions, SignalCategory.Sentiment, SignalAction.SocialMediaResponse, Col.NegativeSocialMentions, -1, Comparison.AtLeast, 5, 1, 30,
            (row, r, days) => string.Create(CultureInfo.InvariantCulture, $"{r.Value:0} negative social-media mentions in the last {days} days; fires at {r.Threshold:0} or more")),
        new(LowSurveySatisfaction, SignalCategory.Sentiment, SignalAction.FollowUpCall, Col.SurveySatisfaction, -1, Comparison.Below, 10, 7, 0,
            (row, r, days) => string.Create(CultureInfo.InvariantCulture, $"survey satisfaction {r.Value:0.#} of 10; fires below {r.Threshold:0.#}")),
        new(NegativeTicketSentiment, SignalCategory.Sentiment, SignalAction.PriorityResolution, Col.NegativeTickets, -1, Comparison.AtLeast, 10, 1, 30,
            (row, r, days) => string.Create(CultureInfo.InvariantCulture, $"{r.Value:0} support tickets with negative sentiment in the last {days} days; fires at {r.Threshold:0} or more")),
        new(CompetitorVisits, SignalCategory.Competitive, SignalAction.CompetitiveOffer, Col.CompetitorVisits, -1, Comparison.AtLeast, 10, 3, 7,
            (row, r, days) => string.Create(CultureInfo.InvariantCulture, $"{r.Value:0} visits to competitors' sites in the last {days} days; fires at {r.Threshold:0} or more")),
        new(AlternativeSearches, SignalCategory.Competitive, SignalAction.ValueReinforcement, Col.AlternativeSearches, -1, Comparison.AtLeast, 10, 1, 30,
            (row, r, days) => string.Create(CultureInfo.InvariantCulture, $"{r.Value:0} searches for alternatives in the last {days} days; fires at {r.Threshold:0} or more")),
        new(CompetitorEvaluation, SignalCategory.Competitive, SignalAction.ComparisonContent, Col.CompetitorEvaluations, -1, Comparison.AtLeast, 5, 1, 30,
            (row, r, days) => string.Create(CultureInfo.InvariantCulture, $"{r.Value:0} active competitor evaluations in the last {days} days; fires at {r.Threshold:0} or more")),
        new(CompetitorTrial, SignalCategory.Competitive, SignalAction.RetentionOffer, Col.CompetitorTrials, -1, Comparison.AtLeast, 15, 1, 30,
            (row, r, days) => string.Create(CultureInfo.InvariantCulture, $"{r.Value:0} competitor trial sign-ups in the last {days} days; fires at {r.Threshold:0} or more")),
        new(ContractReview, SignalCategory.Competitive, SignalAction.RenewalConversation, Col.ContractReviews, -1, Comparison.AtLeast, 10, 1, 30,
            (row, r, days) => string.Create(CultureInfo.InvariantCulture, $"{r.Value:0} contract reviews started in the last {days} days; fires at {r.Threshold:0} or more")),
    ];

    public static BuiltInSignal Create(Entry entry, SignalOptions options) =>
        new(entry.Key, entry.Category, entry.Action, entry.Column, entry.DenominatorColumn, entry.Comparison, options.Threshold, options.WindowDays, entry.Describe);

    internal sealed record Entry(
        SignalKey Key,
        SignalCategory Category,
        SignalAction Action,
        int Column,
        int DenominatorColumn,
        Comparison Comparison,
        double Weight,
        double Threshold,
        int WindowDays,
        System.Func<ScoringRow, SignalReading, int, string> Describe);
}
