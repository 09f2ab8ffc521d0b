using System;
using System.Globalization;

namespace RetentionKit.Segmentation;

/// <summary>A typical range of a measure, ends inclusive, either end open.</summary>
/// <remarks>Used for what the documents call typical (ARPU $100–500, retention 85–95 %); a value is checked with <see cref="Contains"/>.</remarks>
public readonly record struct TypicalRange
{
    /// <summary>Initializes a new instance of the <see cref="TypicalRange"/> struct.</summary>
    /// <param name="minimum">The lowest typical value, or null for no lower end.</param>
    /// <param name="maximum">The highest typical value, or null for no upper end.</param>
    /// <exception cref="ArgumentOutOfRangeException">An end is NaN or infinite, or <paramref name="minimum"/> exceeds <paramref name="maximum"/>.</exception>
    public TypicalRange(double? minimum, double? maximum)
    {
        if (minimum is { } low && !double.IsFinite(low))
        {
            throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "A range's minimum must be a finite number.");
        }

        if (maximum is { } high && !double.IsFinite(high))
        {
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum, "A range's maximum must be a finite number.");
        }

        if (minimum > maximum)
        {
            throw new ArgumentOutOfRangeException(nameof(minimum), minimum, $"A range's minimum must not exceed its maximum ({maximum}).");
        }

        Minimum = minimum;
        Maximum = maximum;
    }

    /// <summary>Gets the lowest typical value (inclusive), or null when the range has no lower end.</summary>
    public double? Minimum { get; }

    /// <summary>Gets the highest typical value (inclusive), or null when the range has no upper end.</summary>
    public double? Maximum { get; }

    /// <summary>Returns whether <paramref name="value"/> lies in the range, ends included.</summary>
    /// <param name="value">The value.</param>
    /// <returns>True when within the range; false for NaN.</returns>
    public bool Contains(double value) => !double.IsNaN(value) && !(value < Minimum) && !(value > Maximum);

    /// <inheritdoc/>
    public override string ToString() => (Minimum, Maximum) switch
    {
        (null, null) => "any",
        ({ } low, null) => string.Create(CultureInfo.InvariantCulture, $"{low}+"),
        (null, { } high) => string.Create(CultureInfo.InvariantCulture, $"up to {high}"),
        ({ } low, { } high) => string.Create(CultureInfo.InvariantCulture, $"{low}–{high}"),
    };
}
