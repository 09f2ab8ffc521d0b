using System;
using System.Globalization;
using RetentionKit.Internal;

namespace RetentionKit;

/// <summary>A score on the 0–100 scale (a retention score, a risk score, a component of either).</summary>
/// <remarks>Higher is better for a retention score and worse for a risk score; the API that returns a score says which. The default value is zero.</remarks>
public readonly struct Score : IEquatable<Score>, IComparable<Score>, IFormattable
{
    /// <summary>The lowest score, 0.</summary>
    public const double MinValue = 0d;

    /// <summary>The highest score, 100.</summary>
    public const double MaxValue = 100d;

    /// <summary>Initializes a new instance of the <see cref="Score"/> struct.</summary>
    /// <param name="value">A finite number in [0, 100].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is NaN, infinite or outside [0, 100].</exception>
    public Score(double value) => Value = Guard.FiniteInRange(value, MinValue, MaxValue);

    /// <summary>Gets the score, in [0, 100].</summary>
    public double Value { get; }

    /// <summary>Returns whether two scores are equal.</summary>
    public static bool operator ==(Score left, Score right) => left.Equals(right);

    /// <summary>Returns whether two scores differ.</summary>
    public static bool operator !=(Score left, Score right) => !left.Equals(right);

    /// <summary>Compares two scores.</summary>
    public static bool operator <(Score left, Score right) => left.Value < right.Value;

    /// <summary>Compares two scores.</summary>
    public static bool operator >(Score left, Score right) => left.Value > right.Value;

    /// <summary>Compares two scores.</summary>
    public static bool operator <=(Score left, Score right) => left.Value <= right.Value;

    /// <summary>Compares two scores.</summary>
    public static bool operator >=(Score left, Score right) => left.Value >= right.Value;

    /// <inheritdoc />
    public int CompareTo(Score other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public bool Equals(Score other) => Value.Equals(other.Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Score other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <summary>Formats the score with up to one decimal, invariant culture.</summary>
    /// <returns>The formatted score.</returns>
    public override string ToString() => ToString(null, CultureInfo.InvariantCulture);

    /// <summary>Formats the score with a numeric format string.</summary>
    /// <param name="format">A <see cref="double"/> format string; null means up to one decimal.</param>
    /// <param name="formatProvider">The culture; null means the current culture.</param>
    /// <returns>The formatted score.</returns>
    public string ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format ?? "0.#", formatProvider);
}
