namespace RetentionKit.Scoring;

/// <summary>The band of a retention score (S5). Edges are inclusive at the bottom: 40 is low, 39.9 is at risk.</summary>
public enum RetentionBand : byte
{
    /// <summary>0–39 by default: retention campaign, personal outreach, special offers; objective prevention.</summary>
    AtRisk = 0,

    /// <summary>40–59 by default: re-engagement, problem solving, support and training; objective recovery.</summary>
    Low = 1,

    /// <summary>60–79 by default: engagement campaigns, value reinforcement, standard features; objective improvement.</summary>
    Medium = 2,

    /// <summary>80–100 by default: upsell, success stories, premium features; objective growth and advocacy.</summary>
    High = 3,
}
