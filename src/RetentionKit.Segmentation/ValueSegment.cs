namespace RetentionKit.Segmentation;

/// <summary>A customer's value segment by lifetime value (G1), ordered from least to most valuable.</summary>
public enum ValueSegment
{
    /// <summary>Below the medium threshold (by default CLV under $1,000): value realisation, self-service.</summary>
    Low = 0,

    /// <summary>From the medium threshold up to and including the high threshold (by default $1,000–$10,000): proactive support.</summary>
    Medium = 1,

    /// <summary>Above the high threshold (by default CLV over $10,000): white-glove service.</summary>
    High = 2,
}
