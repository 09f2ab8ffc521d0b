namespace RetentionKit.Scoring;

/// <content>The immediate actions of the built-in signals (S1).</content>
public readonly partial struct SignalAction
{
    /// <summary>Gets the action for low e-mail engagement: a personalised e-mail.</summary>
    public static SignalAction PersonalisedEmail { get; } = new("PersonalisedEmail");

    /// <summary>Gets the action for reduced usage: success coaching.</summary>
    public static SignalAction SuccessCoaching { get; } = new("SuccessCoaching");

    /// <summary>Gets the action for more support tickets: proactive outreach.</summary>
    public static SignalAction ProactiveOutreach { get; } = new("ProactiveOutreach");

    /// <summary>Gets the action for a late payment: a payment reminder.</summary>
    public static SignalAction PaymentReminder { get; } = new("PaymentReminder");

    /// <summary>Gets the action for fewer logins: a re-engagement campaign.</summary>
    public static SignalAction ReEngagementCampaign { get; } = new("ReEngagementCampaign");

    /// <summary>Gets the action for negative feedback (NPS): personal outreach.</summary>
    public static SignalAction PersonalOutreach { get; } = new("PersonalOutreach");

    /// <summary>Gets the action for negative comments: escalation to a manager.</summary>
    public static SignalAction EscalateToManager { get; } = new("EscalateToManager");

    /// <summary>Gets the action for negative social mentions: a social-media response.</summary>
    public static SignalAction SocialMediaResponse { get; } = new("SocialMediaResponse");

    /// <summary>Gets the action for low survey satisfaction: a follow-up call.</summary>
    public static SignalAction FollowUpCall { get; } = new("FollowUpCall");

    /// <summary>Gets the action for negative support-ticket sentiment: priority resolution.</summary>
    public static SignalAction PriorityResolution { get; } = new("PriorityResolution");

    /// <summary>Gets the action for competitor visits: a competitive offer.</summary>
    public static SignalAction CompetitiveOffer { get; } = new("CompetitiveOffer");

    /// <summary>Gets the action for searches for alternatives: value reinforcement.</summary>
    public static SignalAction ValueReinforcement { get; } = new("ValueReinforcement");

    /// <summary>Gets the action for competitor evaluations: comparison content.</summary>
    public static SignalAction ComparisonContent { get; } = new("ComparisonContent");

    /// <summary>Gets the action for a competitor trial: a retention offer.</summary>
    public static SignalAction RetentionOffer { get; } = new("RetentionOffer");

    /// <summary>Gets the action for a contract review: a renewal conversation.</summary>
    public static SignalAction RenewalConversation { get; } = new("RenewalConversation");
}
