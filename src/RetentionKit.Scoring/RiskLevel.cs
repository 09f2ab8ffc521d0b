namespace RetentionKit.Scoring;

/// <summary>A customer's churn-risk level (S2): by the model's probability when there is a model (medium from 40 %, high from 70 % by default), else by active-signal count.</summary>
public enum RiskLevel : byte
{
    /// <summary>No signal could be measured and there is no model: the risk is unknown.</summary>
    Unknown = 0,

    /// <summary>0–1 active signals by default: churn probability below 40 %.</summary>
    Low = 1,

    /// <summary>2 active signals by default: churn probability 40–70 %.</summary>
    Medium = 2,

    /// <summary>3 or more active signals by default: churn probability 70 % or more.</summary>
    High = 3,
}
