namespace RetentionKit.Scoring;

/// <summary>The band of a sentiment score (S4).</summary>
public enum SentimentBand
{
    /// <summary>Below the negative threshold (default 0.3): intervene now.</summary>
    Negative = 0,

    /// <summary>Between the thresholds (default 0.3–0.5): monitor.</summary>
    Neutral = 1,

    /// <summary>Above the positive threshold (default 0.5): safe.</summary>
    Positive = 2,
}
