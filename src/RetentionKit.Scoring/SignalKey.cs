using System;
using RetentionKit.Scoring.Internal;

namespace RetentionKit.Scoring;

/// <summary>Identifies a churn-risk signal (S1), built in or the host's own.</summary>
/// <remarks>
/// A name of letters, digits, '-', '_' or '.', compared ordinally (case-sensitive), for example <c>CompetitorTrial</c>. It is the
/// key under which options and explanations refer to the item. The default value has an empty name and is rejected.
/// </remarks>
public readonly struct SignalKey : IEquatable<SignalKey>, IComparable<SignalKey>
{
    private readonly string? _name;

    /// <summary>Initializes a new instance of the <see cref="SignalKey"/> struct.</summary>
    /// <param name="name">Letters, digits, '-', '_' or '.'; at most 64 characters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, too long or holds another character.</exception>
    public SignalKey(string name) => _name = KeyName.Check(name);

    /// <summary>Gets the name; empty for the default value.</summary>
    public string Name => _name ?? string.Empty;

    /// <summary>Gets whether this is the default (invalid) value.</summary>
    public bool IsDefault => _name is null;

    /// <summary>Returns whether two keys are equal.</summary>
    public static bool operator ==(SignalKey left, SignalKey right) => left.Equals(right);

    /// <summary>Returns whether two keys differ.</summary>
    public static bool operator !=(SignalKey left, SignalKey right) => !left.Equals(right);

    /// <summary>Compares two keys ordinally.</summary>
    public static bool operator <(SignalKey left, SignalKey right) => left.CompareTo(right) < 0;

    /// <summary>Compares two keys ordinally.</summary>
    public static bool operator >(SignalKey left, SignalKey right) => left.CompareTo(right) > 0;

    /// <summary>Compares two keys ordinally.</summary>
    public static bool operator <=(SignalKey left, SignalKey right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two keys ordinally.</summary>
    public static bool operator >=(SignalKey left, SignalKey right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public bool Equals(SignalKey other) => string.Equals(_name, other._name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SignalKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _name is null ? 0 : StringComparer.Ordinal.GetHashCode(_name);

    /// <inheritdoc />
    public int CompareTo(SignalKey other) => string.CompareOrdinal(_name, other._name);

    /// <summary>Returns the name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
