namespace RetentionKit.Scoring.Internal;

/// <summary>Column indices of the built-in measures (the order of <see cref="Measures.BuiltIn"/>).</summary>
internal static class Col
{
    public const int EmailsSent = 0;
    public const int EmailsOpened = 1;
    public const int FeatureShare = 2;
    public const int SupportTickets = 3;
    public const int DaysPaymentLate = 4;
    public const int Logins = 5;
    public const int BaselineLogins = 6;
    public const int Nps = 7;
    public const int CommentSentiment = 8;
    public const int NegativeSocialMentions = 9;
    public const int SurveySatisfaction = 10;
    public const int NegativeTickets = 11;
    public const int CompetitorVisits = 12;
    public const int AlternativeSearches = 13;
    public const int CompetitorEvaluations = 14;
    public const int CompetitorTrials = 15;
    public const int ContractReviews = 16;
    public const int UsageOfLimit = 17;
    public const int RoiMultiple = 18;
    public const int BuiltInCount = 19;
}
