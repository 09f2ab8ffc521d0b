namespace RetentionKit.Scoring;

/// <summary>What a red-flag rule sees of one customer: the measures and which signals fired.</summary>
public readonly ref struct RedFlagArguments
{
    private readonly ScoringEngine _engine;
    private readonly ulong _active;

    internal RedFlagArguments(ScoringEngine engine, ScoringRow row, ulong active)
    {
        _engine = engine;
        Row = row;
        _active = active;
    }

    /// <summary>Gets the customer's measures.</summary>
    public ScoringRow Row { get; }

    /// <summary>Returns whether a signal fired for the customer.</summary>
    /// <param name="signal">The signal's key.</param>
    /// <returns>True when the signal is registered, enabled and active.</returns>
    public bool IsActive(SignalKey signal)
    {
        var index = _engine.SignalIndex(signal);
        return index >= 0 && (_active & (1UL << index)) != 0;
    }
}
