namespace RetentionKit.Scoring;

/// <summary>What a signal read for one customer: its state, the raw value it compared and the threshold.</summary>
/// <param name="State">Whether the signal fired, stayed quiet or lacked its input.</param>
/// <param name="Value">The raw value compared with the threshold (a rate, a count, a score); NaN when <paramref name="State"/> is <see cref="SignalState.Missing"/>.</param>
/// <param name="Threshold">The threshold the value was compared with.</param>
public readonly record struct SignalReading(SignalState State, double Value, double Threshold)
{
    /// <summary>Gets a reading for a missing input.</summary>
    /// <param name="threshold">The threshold that would have applied.</param>
    /// <returns>A reading in state <see cref="SignalState.Missing"/>.</returns>
    public static SignalReading Missing(double threshold) => new(SignalState.Missing, double.NaN, threshold);

    /// <summary>Gets whether the signal fired.</summary>
    public bool IsActive => State == SignalState.Active;
}
