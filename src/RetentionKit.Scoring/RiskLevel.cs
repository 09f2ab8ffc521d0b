namespace RetentionKit.Scoring;

/// <summary>A customer's churn-risk level by active-signal count (S2).</summary>
public enum RiskLevel : byte
{
    /// <summary>No signal could be measured: the risk is unknown.</summary>
    Unknown = 0,

    /// <summary>0–1 active signals by default: churn probability below 40 %.</summary>
    Low = 1,

    /// <summary>2 active signals by default: churn probability 40–70 %.</summary>
    Medium = 2,

    /// <summary>3 or more active signals by default: churn probability 70 % or more.</summary>
    High = 3,
}
