using System;
using System.Collections.Generic;
using System.Globalization;
using RetentionKit.Scoring.Internal;

namespace RetentionKit.Scoring.Signals;

/// <summary>How a built-in signal compares its value with the threshold.</summary>
internal enum Comparison : byte
{
    /// <summary>Fires when the value is strictly below the threshold ("&lt; 50 %").</summary>
    Below,

    /// <summary>Fires when the value is strictly above the threshold ("&gt; 3 tickets").</summary>
    Above,

    /// <summary>Fires when the value is at or above the threshold ("3+ visits").</summary>
    AtLeast,
}

/// <summary>
/// A built-in signal: one measure (or the ratio of two, in single precision) compared with a threshold. The batch
/// kernel (<see cref="BatchKernel"/>) evaluates it in its lanes with the ratio and comparison of <see cref="Read"/>.
/// </summary>
internal sealed class BuiltInSignal : IChurnSignal
{
    private readonly Func<ScoringRow, SignalReading, int, string> _describe;

    public BuiltInSignal(
        SignalKey key,
        SignalCategory category,
        SignalAction action,
        int column,
        int denominatorColumn,
        Comparison comparison,
        double threshold,
        int windowDays,
        Func<ScoringRow, SignalReading, int, string> describe)
    {
        Key = key;
        Category = category;
        Action = action;
        Column = column;
        DenominatorColumn = denominatorColumn;
        Comparison = comparison;
        Threshold = threshold;
        WindowDays = windowDays;
        _describe = describe;
    }

    public SignalKey Key { get; }

    public SignalCategory Category { get; }

    public SignalAction Action { get; }

    public IReadOnlyList<MeasureDefinition> AdditionalMeasures => [];

    public int Column { get; }

    public int DenominatorColumn { get; }

    public Comparison Comparison { get; }

    public double Threshold { get; }

    public int WindowDays { get; }

    public SignalReading Read(ScoringRow row)
    {
        var value = Value((float)row.At(Column), DenominatorColumn < 0 ? 1f : (float)row.At(DenominatorColumn));
        return double.IsNaN(value) ? SignalReading.Missing(Threshold) : new SignalReading(Classify(value), value, Threshold);
    }

    public string Describe(ScoringRow row, SignalReading reading) =>
        reading.State == SignalState.Missing
            ? string.Create(CultureInfo.InvariantCulture, $"no data ({Describe(Column)}{(DenominatorColumn < 0 ? string.Empty : ", " + Describe(DenominatorColumn))}); the signal's weight goes to the measured signals of its category")
            : _describe(row, reading, WindowDays);

    /// <summary>The compared value: the measure, or the ratio of two (missing when the denominator is missing or zero).</summary>
    private static double Value(float numerator, float denominator) =>
        denominator > 0f ? numerator / denominator : double.NaN;

    private SignalState Classify(double value)
    {
        var fires = Comparison switch
        {
            Comparison.Below => value < Threshold,
            Comparison.Above => value > Threshold,
            _ => value >= Threshold,
        };
        return fires ? SignalState.Active : SignalState.Inactive;
    }

    private static string Describe(int column) => Measures.BuiltIn[column].Description;
}
