namespace RetentionKit.Scoring;

/// <summary>
/// The names of the built-in measures, as constants for configuration keys, attributes and switch cases;
/// <see cref="Measures"/> has the same measures as typed keys.
/// </summary>
public static class MeasureNames
{
    /// <summary>The name of <see cref="Measures.EmailsSent"/>.</summary>
    public const string EmailsSent = "EmailsSent";

    /// <summary>The name of <see cref="Measures.EmailsOpened"/>.</summary>
    public const string EmailsOpened = "EmailsOpened";

    /// <summary>The name of <see cref="Measures.FeatureShare"/>.</summary>
    public const string FeatureShare = "FeatureShare";

    /// <summary>The name of <see cref="Measures.SupportTickets"/>.</summary>
    public const string SupportTickets = "SupportTickets";

    /// <summary>The name of <see cref="Measures.DaysPaymentLate"/>.</summary>
    public const string DaysPaymentLate = "DaysPaymentLate";

    /// <summary>The name of <see cref="Measures.Logins"/>.</summary>
    public const string Logins = "Logins";

    /// <summary>The name of <see cref="Measures.BaselineLogins"/>.</summary>
    public const string BaselineLogins = "BaselineLogins";

    /// <summary>The name of <see cref="Measures.Nps"/>.</summary>
    public const string Nps = "Nps";

    /// <summary>The name of <see cref="Measures.CommentSentiment"/>.</summary>
    public const string CommentSentiment = "CommentSentiment";

    /// <summary>The name of <see cref="Measures.NegativeSocialMentions"/>.</summary>
    public const string NegativeSocialMentions = "NegativeSocialMentions";

    /// <summary>The name of <see cref="Measures.SurveySatisfaction"/>.</summary>
    public const string SurveySatisfaction = "SurveySatisfaction";

    /// <summary>The name of <see cref="Measures.NegativeTickets"/>.</summary>
    public const string NegativeTickets = "NegativeTickets";

    /// <summary>The name of <see cref="Measures.CompetitorVisits"/>.</summary>
    public const string CompetitorVisits = "CompetitorVisits";

    /// <summary>The name of <see cref="Measures.AlternativeSearches"/>.</summary>
    public const string AlternativeSearches = "AlternativeSearches";

    /// <summary>The name of <see cref="Measures.CompetitorEvaluations"/>.</summary>
    public const string CompetitorEvaluations = "CompetitorEvaluations";

    /// <summary>The name of <see cref="Measures.CompetitorTrials"/>.</summary>
    public const string CompetitorTrials = "CompetitorTrials";

    /// <summary>The name of <see cref="Measures.ContractReviews"/>.</summary>
    public const string ContractReviews = "ContractReviews";

    /// <summary>The name of <see cref="Measures.UsageOfLimit"/>.</summary>
    public const string UsageOfLimit = "UsageOfLimit";

    /// <summary>The name of <see cref="Measures.RoiMultiple"/>.</summary>
    public const string RoiMultiple = "RoiMultiple";
}
