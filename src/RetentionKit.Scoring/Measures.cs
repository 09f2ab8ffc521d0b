using System.Collections.Immutable;

namespace RetentionKit.Scoring;

/// <summary>The built-in measures: the customer activity that the 15 built-in signals and the four built-in score components read.</summary>
/// <remarks>
/// Counts are over the window the matching signal's options state (e-mails: 14 days; features, tickets: 30 days;
/// competitor visits: 7 days); the host aggregates its events over those windows. Values are stored in single
/// precision (about seven significant digits), which is exact for counts up to 16,777,216.
/// </remarks>
public static class Measures
{
    private const double Unbounded = 1e9;

    /// <summary>Gets the number of marketing and success e-mails sent to the customer in the e-mail window.</summary>
    public static MeasureKey EmailsSent { get; } = new(MeasureNames.EmailsSent);

    /// <summary>Gets the number of those e-mails the customer opened (not more than <see cref="EmailsSent"/>).</summary>
    public static MeasureKey EmailsOpened { get; } = new(MeasureNames.EmailsOpened);

    /// <summary>Gets the share of the product's features used in the usage window, in [0, 1].</summary>
    public static MeasureKey FeatureShare { get; } = new(MeasureNames.FeatureShare);

    /// <summary>Gets the number of support tickets opened in the support window.</summary>
    public static MeasureKey SupportTickets { get; } = new(MeasureNames.SupportTickets);

    /// <summary>Gets the number of days the oldest unpaid invoice is overdue (0 when paid up).</summary>
    public static MeasureKey DaysPaymentLate { get; } = new(MeasureNames.DaysPaymentLate);

    /// <summary>Gets the number of logins in the login window.</summary>
    public static MeasureKey Logins { get; } = new(MeasureNames.Logins);

    /// <summary>Gets the customer's own normal number of logins for a window of the same length (for example, their average).</summary>
    public static MeasureKey BaselineLogins { get; } = new(MeasureNames.BaselineLogins);

    /// <summary>Gets the customer's latest Net Promoter answer, 0–10.</summary>
    public static MeasureKey Nps { get; } = new(MeasureNames.Nps);

    /// <summary>Gets the sentiment of the customer's recent comments, in [0, 1] (0 most negative, 0.5 neutral, 1 most positive).</summary>
    public static MeasureKey CommentSentiment { get; } = new(MeasureNames.CommentSentiment);

    /// <summary>Gets the number of negative social-media mentions in the sentiment window.</summary>
    public static MeasureKey NegativeSocialMentions { get; } = new(MeasureNames.NegativeSocialMentions);

    /// <summary>Gets the customer's latest survey satisfaction, 0–10.</summary>
    public static MeasureKey SurveySatisfaction { get; } = new(MeasureNames.SurveySatisfaction);

    /// <summary>Gets the number of support tickets with negative sentiment in the support window (not more than <see cref="SupportTickets"/>).</summary>
    public static MeasureKey NegativeTickets { get; } = new(MeasureNames.NegativeTickets);

    /// <summary>Gets the number of visits to competitors' sites in the competitor window.</summary>
    public static MeasureKey CompetitorVisits { get; } = new(MeasureNames.CompetitorVisits);

    /// <summary>Gets the number of searches for alternatives (competitor keywords) in the competitor window.</summary>
    public static MeasureKey AlternativeSearches { get; } = new(MeasureNames.AlternativeSearches);

    /// <summary>Gets the number of active competitor evaluations (comparison pages, analyst reports, demos requested).</summary>
    public static MeasureKey CompetitorEvaluations { get; } = new(MeasureNames.CompetitorEvaluations);

    /// <summary>Gets the number of sign-ups for a competitor's trial.</summary>
    public static MeasureKey CompetitorTrials { get; } = new(MeasureNames.CompetitorTrials);

    /// <summary>Gets the number of contract reviews the customer started (legal or procurement asking for the contract, notice terms).</summary>
    public static MeasureKey ContractReviews { get; } = new(MeasureNames.ContractReviews);

    /// <summary>Gets the usage of the plan's limit (seats, projects, volume), as a fraction: 1 is at the limit.</summary>
    public static MeasureKey UsageOfLimit { get; } = new(MeasureNames.UsageOfLimit);

    /// <summary>Gets the value the customer realises as a multiple of what they pay (a measured ROI: 3 means three times the price).</summary>
    public static MeasureKey RoiMultiple { get; } = new(MeasureNames.RoiMultiple);

    /// <summary>Gets every built-in measure with its range, in column order.</summary>
    public static ImmutableArray<MeasureDefinition> BuiltIn { get; } =
    [
        new(EmailsSent, 0, Unbounded, "e-mails sent in the e-mail window"),
        new(EmailsOpened, 0, Unbounded, "e-mails opened in the e-mail window"),
        new(FeatureShare, 0, 1, "share of features used in the usage window"),
        new(SupportTickets, 0, Unbounded, "support tickets in the support window"),
        new(DaysPaymentLate, 0, Unbounded, "days the oldest unpaid invoice is overdue"),
        new(Logins, 0, Unbounded, "logins in the login window"),
        new(BaselineLogins, 0, Unbounded, "the customer's normal logins for the same window"),
        new(Nps, 0, 10, "latest NPS answer, 0-10"),
        new(CommentSentiment, 0, 1, "sentiment of recent comments, 0-1"),
        new(NegativeSocialMentions, 0, Unbounded, "negative social-media mentions"),
        new(SurveySatisfaction, 0, 10, "latest survey satisfaction, 0-10"),
        new(NegativeTickets, 0, Unbounded, "support tickets with negative sentiment"),
        new(CompetitorVisits, 0, Unbounded, "competitor site visits in the competitor window"),
        new(AlternativeSearches, 0, Unbounded, "searches for alternatives"),
        new(CompetitorEvaluations, 0, Unbounded, "active competitor evaluations"),
        new(CompetitorTrials, 0, Unbounded, "competitor trial sign-ups"),
        new(ContractReviews, 0, Unbounded, "contract reviews started"),
        new(UsageOfLimit, 0, 100, "usage of the plan's limit, 1 = at the limit"),
        new(RoiMultiple, 0, Unbounded, "realised value as a multiple of the price"),
    ];
}
