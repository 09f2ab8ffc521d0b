namespace RetentionKit.Scoring;

/// <summary>
/// The names of the 15 built-in signals (S1), for configuration keys and code that names one:
/// <c>options.Signals[SignalNames.ReducedUsage]</c> rather than the string <c>"ReducedUsage"</c>.
/// <c>new SignalKey(SignalNames.ReducedUsage)</c> is the typed key.
/// </summary>
public static class SignalNames
{
    /// <summary>The built-in signal <c>LowEmailEngagement</c>.</summary>
    public const string LowEmailEngagement = "LowEmailEngagement";

    /// <summary>The built-in signal <c>ReducedUsage</c>.</summary>
    public const string ReducedUsage = "ReducedUsage";

    /// <summary>The built-in signal <c>IncreasedSupport</c>.</summary>
    public const string IncreasedSupport = "IncreasedSupport";

    /// <summary>The built-in signal <c>LatePayment</c>.</summary>
    public const string LatePayment = "LatePayment";

    /// <summary>The built-in signal <c>LowLoginFrequency</c>.</summary>
    public const string LowLoginFrequency = "LowLoginFrequency";

    /// <summary>The built-in signal <c>NegativeFeedback</c>.</summary>
    public const string NegativeFeedback = "NegativeFeedback";

    /// <summary>The built-in signal <c>NegativeComments</c>.</summary>
    public const string NegativeComments = "NegativeComments";

    /// <summary>The built-in signal <c>NegativeSocialMentions</c>.</summary>
    public const string NegativeSocialMentions = "NegativeSocialMentions";

    /// <summary>The built-in signal <c>LowSurveySatisfaction</c>.</summary>
    public const string LowSurveySatisfaction = "LowSurveySatisfaction";

    /// <summary>The built-in signal <c>NegativeTicketSentiment</c>.</summary>
    public const string NegativeTicketSentiment = "NegativeTicketSentiment";

    /// <summary>The built-in signal <c>CompetitorVisits</c>.</summary>
    public const string CompetitorVisits = "CompetitorVisits";

    /// <summary>The built-in signal <c>AlternativeSearches</c>.</summary>
    public const string AlternativeSearches = "AlternativeSearches";

    /// <summary>The built-in signal <c>CompetitorEvaluation</c>.</summary>
    public const string CompetitorEvaluation = "CompetitorEvaluation";

    /// <summary>The built-in signal <c>CompetitorTrial</c>.</summary>
    public const string CompetitorTrial = "CompetitorTrial";

    /// <summary>The built-in signal <c>ContractReview</c>.</summary>
    public const string ContractReview = "ContractReview";
}
