using System;

namespace RetentionKit.Scoring;

/// <summary>What was incomplete or special about a score.</summary>
[Flags]
public enum ScoreNotes : byte
{
    /// <summary>Every input was present.</summary>
    None = 0,

    /// <summary>At least one signal lacked its input; its weight went to the measured signals of its category (or to the other categories).</summary>
    SignalInputsMissing = 1,

    /// <summary>No signal could be measured: the risk score is undefined, and without a model so are the level and the probability.</summary>
    RiskUndefined = 2,

    /// <summary>At least one component was missing or partial; the missing weight went to what was measured.</summary>
    ComponentInputsMissing = 4,

    /// <summary>No component could be measured: the retention score is undefined.</summary>
    RetentionUndefined = 8,

    /// <summary>A red flag raised the churn probability above the level's band.</summary>
    RedFlagFloorApplied = 16,

    /// <summary>The churn probability comes from a model (a fitted calibration or the host's <see cref="IChurnModel"/>), not the S2/S3 rule of thumb; the level is cut on it.</summary>
    Calibrated = 32,
}
