using System;
using System.Globalization;
using RetentionKit.Internal;

namespace RetentionKit;

/// <summary>
/// A non-negative ratio that may exceed 1: net revenue retention (115 %), an expansion rate, a revenue
/// retention cell of a cohort, a value-to-cost ratio.
/// </summary>
/// <remarks>
/// Construct with <see cref="FromFraction"/> (1.15) or <see cref="FromPercent"/> (115). A quantity that is a
/// probability or a share of a whole is a <see cref="Rate"/>, which is bounded by 1. The default value is zero.
/// </remarks>
public readonly struct Ratio : IEquatable<Ratio>, IComparable<Ratio>, IFormattable
{
    private Ratio(double fraction) => Fraction = fraction;

    /// <summary>Gets the ratio of zero.</summary>
    public static Ratio Zero => default;

    /// <summary>Gets the ratio of one (100 %).</summary>
    public static Ratio One { get; } = new(1d);

    /// <summary>Gets the ratio as a fraction (1.15 for 115 %).</summary>
    public double Fraction { get; }

    /// <summary>Gets the ratio in percent (115 for 1.15).</summary>
    public double Percent => Fraction * 100d;

    /// <summary>Creates a ratio from a fraction.</summary>
    /// <param name="fraction">A finite, non-negative number; 1.15 is 115 %.</param>
    /// <returns>The ratio.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is NaN, infinite or negative.</exception>
    public static Ratio FromFraction(double fraction) => new(Guard.FiniteNonNegative(fraction));

    /// <summary>Creates a ratio from a percentage.</summary>
    /// <param name="percent">A finite, non-negative number; 115 is 115 %.</param>
    /// <returns>The ratio.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is NaN, infinite or negative.</exception>
    public static Ratio FromPercent(double percent) => new(Guard.FiniteNonNegative(percent) / 100d);

    /// <summary>Returns whether two ratios are equal.</summary>
    public static bool operator ==(Ratio left, Ratio right) => left.Equals(right);

    /// <summary>Returns whether two ratios differ.</summary>
    public static bool operator !=(Ratio left, Ratio right) => !left.Equals(right);

    /// <summary>Compares two ratios.</summary>
    public static bool operator <(Ratio left, Ratio right) => left.Fraction < right.Fraction;

    /// <summary>Compares two ratios.</summary>
    public static bool operator >(Ratio left, Ratio right) => left.Fraction > right.Fraction;

    /// <summary>Compares two ratios.</summary>
    public static bool operator <=(Ratio left, Ratio right) => left.Fraction <= right.Fraction;

    /// <summary>Compares two ratios.</summary>
    public static bool operator >=(Ratio left, Ratio right) => left.Fraction >= right.Fraction;

    /// <inheritdoc />
    public int CompareTo(Ratio other) => Fraction.CompareTo(other.Fraction);

    /// <inheritdoc />
    public bool Equals(Ratio other) => Fraction.Equals(other.Fraction);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Ratio other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Fraction.GetHashCode();

    /// <summary>Formats as an invariant-culture percentage, for example <c>115 %</c>.</summary>
    /// <returns>The formatted ratio.</returns>
    public override string ToString() => ToString(null, CultureInfo.InvariantCulture);

    /// <summary>Formats the value as a percentage with a standard or custom .NET numeric format string.</summary>
    /// <param name="format">
    /// <c>P</c> with an optional precision (<c>{rate:P1}</c>) formats <see cref="Fraction"/> as .NET does, with the
    /// culture's percent sign and pattern, once (<c>"25.0 %"</c> in the invariant culture, <c>"25.0%"</c> in en-US);
    /// any other <see cref="double"/> format (<c>F1</c>, <c>N2</c>, <c>0.##</c>) is applied to <see cref="Percent"/>
    /// and followed by <c>" %"</c>; null means up to 4 decimals.
    /// </param>
    /// <param name="formatProvider">The culture; null means the current culture.</param>
    /// <returns>The formatted ratio.</returns>
    public string ToString(string? format, IFormatProvider? formatProvider) =>
        PercentFormat.Format(Fraction, format, formatProvider);
}
