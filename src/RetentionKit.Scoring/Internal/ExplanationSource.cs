namespace RetentionKit.Scoring.Internal;

/// <summary>
/// What a score's explanations need to render their reasons when first read: the engine and the one-row batch the
/// customer was scored from (private to that score, never written again), and the reasons rendered so far.
/// </summary>
/// <remarks>
/// Two threads reading the same reason for the first time may both render it; they render the same text and either
/// copy is kept, so no lock is needed.
/// </remarks>
internal sealed class ExplanationSource(ScoringEngine engine, ScoringBatch row)
{
    private readonly string?[] _signalReasons = new string?[engine.Signals.Length];
    private readonly string?[] _componentReasons = new string?[engine.Components.Length];

    public ScoringEngine Engine { get; } = engine;

    public string DescribeSignal(int index, SignalReading reading) =>
        _signalReasons[index] ??= Engine.Signals[index].Describe(new ScoringRow(row, 0), reading);

    public string DescribeComponent(int index, ComponentReading reading) =>
        _componentReasons[index] ??= reading.IsMissing
            ? "no data for any input; its weight is shared among the measured components"
            : Engine.Components[index].Describe(new ScoringRow(row, 0), reading);
}
