using System;
using RetentionKit.Internal;

namespace RetentionKit.Scoring;

/// <summary>Describes a measure: its key, the range of valid values and what it means.</summary>
/// <remarks>
/// Every value written for the measure is checked against [<see cref="Minimum"/>, <see cref="Maximum"/>]; a value
/// outside, NaN or infinite is rejected with an exception naming the measure. A missing value is not zero: it is
/// absent, and the signals and components that read it say so.
/// </remarks>
public sealed record MeasureDefinition
{
    /// <summary>Initializes a new instance of the <see cref="MeasureDefinition"/> class.</summary>
    /// <param name="key">The measure's key.</param>
    /// <param name="minimum">The smallest valid value (finite).</param>
    /// <param name="maximum">The largest valid value (finite, not below <paramref name="minimum"/>).</param>
    /// <param name="description">What the measure counts, with its unit and window, in a few words.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is the default key, or <paramref name="description"/> is blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A bound is not finite, or <paramref name="maximum"/> is below <paramref name="minimum"/>.</exception>
    public MeasureDefinition(MeasureKey key, double minimum, double maximum, string description)
    {
        if (key.IsDefault)
        {
            throw new ArgumentException("key is the default MeasureKey, which names no measure.", nameof(key));
        }

        Key = key;
        Minimum = Guard.Finite(minimum);
        Maximum = Guard.Finite(maximum);
        if (maximum < minimum)
        {
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum, $"maximum must not be below minimum ({minimum}).");
        }

        Description = Guard.NotBlank(description);
    }

    /// <summary>Gets the measure's key.</summary>
    public MeasureKey Key { get; }

    /// <summary>Gets the smallest valid value.</summary>
    public double Minimum { get; }

    /// <summary>Gets the largest valid value.</summary>
    public double Maximum { get; }

    /// <summary>Gets what the measure counts, with its unit and window.</summary>
    public string Description { get; }
}
