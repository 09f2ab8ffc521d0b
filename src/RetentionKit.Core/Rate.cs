using System;
using System.Globalization;
using RetentionKit.Internal;

namespace RetentionKit;

/// <summary>
/// A rate or probability in the closed interval [0, 1]: a churn rate, a retention rate, a gross margin,
/// a conversion rate, the chance that an offer succeeds.
/// </summary>
/// <remarks>
/// <para>
/// Construct with <see cref="FromFraction"/> (0.05) or <see cref="FromPercent"/> (5); there is deliberately no
/// constructor taking a bare number, because "5" and "0.05" are both common and mean different things.
/// A quantity that may exceed 1 (net revenue retention of 115 %, an expansion rate) is a <see cref="Ratio"/>.
/// </para>
/// <para>The default value is a rate of zero.</para>
/// </remarks>
public readonly struct Rate : IEquatable<Rate>, IComparable<Rate>, IFormattable
{
    private Rate(double fraction) => Fraction = fraction;

    /// <summary>Gets the rate of zero.</summary>
    public static Rate Zero => default;

    /// <summary>Gets the rate of one (100 %).</summary>
    public static Rate One { get; } = new(1d);

    /// <summary>Gets the rate as a fraction in [0, 1].</summary>
    public double Fraction { get; }

    /// <summary>Gets the rate in percent, in [0, 100].</summary>
    public double Percent => Fraction * 100d;

    /// <summary>Gets the complement, 1 − rate (a churn rate's retention rate and back).</summary>
    public Rate Complement => new(1d - Fraction);

    /// <summary>Creates a rate from a fraction.</summary>
    /// <param name="fraction">A finite number in [0, 1]; 0.05 is 5 %.</param>
    /// <returns>The rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is NaN, infinite or outside [0, 1].</exception>
    public static Rate FromFraction(double fraction) => new(Guard.FiniteInRange(fraction, 0d, 1d));

    /// <summary>Creates a rate from a percentage.</summary>
    /// <param name="percent">A finite number in [0, 100]; 5 is 5 %.</param>
    /// <returns>The rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is NaN, infinite or outside [0, 100].</exception>
    public static Rate FromPercent(double percent) => new(Guard.FiniteInRange(percent, 0d, 100d) / 100d);

    /// <summary>Creates the rate <paramref name="part"/> ÷ <paramref name="whole"/>.</summary>
    /// <param name="part">The count that has the property (churned customers); not negative, at most <paramref name="whole"/>.</param>
    /// <param name="whole">The population; greater than zero (the rate of an empty population is undefined).</param>
    /// <returns>The rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, <paramref name="whole"/> is zero, or <paramref name="part"/> exceeds <paramref name="whole"/>.</exception>
    public static Rate FromCounts(long part, long whole)
    {
        Guard.NonNegative(part);
        if (whole <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(whole), whole, "whole must be greater than zero: a rate over an empty population is undefined.");
        }

        if (part > whole)
        {
            throw new ArgumentOutOfRangeException(nameof(part), part, $"part must not exceed whole ({whole}).");
        }

        return new((double)part / whole);
    }

    /// <summary>Returns whether two rates are equal.</summary>
    public static bool operator ==(Rate left, Rate right) => left.Equals(right);

    /// <summary>Returns whether two rates differ.</summary>
    public static bool operator !=(Rate left, Rate right) => !left.Equals(right);

    /// <summary>Compares two rates.</summary>
    public static bool operator <(Rate left, Rate right) => left.Fraction < right.Fraction;

    /// <summary>Compares two rates.</summary>
    public static bool operator >(Rate left, Rate right) => left.Fraction > right.Fraction;

    /// <summary>Compares two rates.</summary>
    public static bool operator <=(Rate left, Rate right) => left.Fraction <= right.Fraction;

    /// <summary>Compares two rates.</summary>
    public static bool operator >=(Rate left, Rate right) => left.Fraction >= right.Fraction;

    /// <summary>Converts a rate to the ratio with the same value; every rate is a ratio.</summary>
    public static implicit operator Ratio(Rate rate) => Ratio.FromFraction(rate.Fraction);

    /// <summary>Returns the same rate as a <see cref="Ratio"/>.</summary>
    /// <returns>The ratio.</returns>
    public Ratio ToRatio() => this;

    /// <inheritdoc />
    public int CompareTo(Rate other) => Fraction.CompareTo(other.Fraction);

    /// <inheritdoc />
    public bool Equals(Rate other) => Fraction.Equals(other.Fraction);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Rate other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Fraction.GetHashCode();

    /// <summary>Formats as an invariant-culture percentage, for example <c>5 %</c>.</summary>
    /// <returns>The formatted rate.</returns>
    public override string ToString() => ToString(null, CultureInfo.InvariantCulture);

    /// <summary>Formats the value as a percentage with a standard or custom .NET numeric format string.</summary>
    /// <param name="format">
    /// <c>P</c> with an optional precision (<c>{rate:P1}</c>) formats <see cref="Fraction"/> as .NET does, with the
    /// culture's percent sign and pattern, once (<c>"25.0 %"</c> in the invariant culture, <c>"25.0%"</c> in en-US);
    /// any other <see cref="double"/> format (<c>F1</c>, <c>N2</c>, <c>0.##</c>) is applied to <see cref="Percent"/>
    /// and followed by <c>" %"</c>; null means up to 4 decimals.
    /// </param>
    /// <param name="formatProvider">The culture; null means the current culture.</param>
    /// <returns>The formatted rate.</returns>
    public string ToString(string? format, IFormatProvider? formatProvider) =>
        PercentFormat.Format(Fraction, format, formatProvider);
}
