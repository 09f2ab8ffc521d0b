using System;
using RetentionKit.Internal;

namespace RetentionKit.Scoring;

/// <summary>A component's value for one customer, with how complete its inputs were.</summary>
public readonly record struct ComponentReading
{
    /// <summary>Initializes a new instance of the <see cref="ComponentReading"/> struct.</summary>
    /// <param name="value">The value in [0, 100].</param>
    /// <param name="measuredInputs">How many of the component's inputs were present (at least 1).</param>
    /// <param name="inputs">How many inputs the component has (at least <paramref name="measuredInputs"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public ComponentReading(double value, int measuredInputs, int inputs)
    {
        Value = Guard.FiniteInRange(value, 0d, 100d);
        MeasuredInputs = Guard.Positive(measuredInputs);
        if (inputs < measuredInputs)
        {
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs, $"inputs must be at least measuredInputs ({measuredInputs}).");
        }

        Inputs = inputs;
    }

    private ComponentReading(int inputs)
    {
        Value = double.NaN;
        Inputs = inputs;
    }

    /// <summary>Gets the value in [0, 100]; NaN when <see cref="IsMissing"/>.</summary>
    public double Value { get; }

    /// <summary>Gets how many of the component's inputs were present.</summary>
    public int MeasuredInputs { get; }

    /// <summary>Gets how many inputs the component has.</summary>
    public int Inputs { get; }

    /// <summary>Gets whether every input was missing, so the component has no value.</summary>
    public bool IsMissing => MeasuredInputs == 0;

    /// <summary>Gets whether some but not all inputs were missing (their weight went to the measured ones).</summary>
    public bool IsPartial => MeasuredInputs > 0 && MeasuredInputs < Inputs;

    /// <summary>Gets a reading for a component whose inputs are all missing.</summary>
    /// <param name="inputs">How many inputs the component has.</param>
    /// <returns>A missing reading.</returns>
    public static ComponentReading Missing(int inputs) => new(Guard.NonNegative(inputs));
}
