namespace RetentionKit.Scoring;

/// <summary>The state of one signal for one customer.</summary>
public enum SignalState : byte
{
    /// <summary>The signal's input is missing; the signal neither fires nor counts as quiet.</summary>
    Missing = 0,

    /// <summary>The input is there and does not cross the threshold.</summary>
    Inactive = 1,

    /// <summary>The input crosses the threshold: the signal fires.</summary>
    Active = 2,
}
