namespace RetentionKit.Scoring;

/// <summary>The three categories of churn-risk signals (S1), each with its own weight in the risk score.</summary>
public enum SignalCategory
{
    /// <summary>What the customer does: e-mail engagement, feature usage, support load, payments, logins (default weight 40 %).</summary>
    Behavioural = 0,

    /// <summary>What the customer says: NPS, comments, social mentions, surveys, ticket tone (default weight 30 %).</summary>
    Sentiment = 1,

    /// <summary>Signs of a move to a competitor: visits, searches, evaluations, trials, contract reviews (default weight 30 %).</summary>
    Competitive = 2,
}
