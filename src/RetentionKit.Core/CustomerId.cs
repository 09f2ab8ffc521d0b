using System;
using RetentionKit.Internal;

namespace RetentionKit;

/// <summary>Identifies a customer (an account, not a person) in the host's systems.</summary>
/// <remarks>
/// The value is the host's own identifier, compared ordinally (case-sensitive). It must not be empty or white
/// space. It is an identifier, not personal data: do not use an e-mail address. The default value has an empty
/// <see cref="Value"/> and is not a valid identifier; APIs reject it.
/// </remarks>
public readonly struct CustomerId : IEquatable<CustomerId>, IComparable<CustomerId>
{
    private readonly string? _value;

    /// <summary>Initializes a new instance of the <see cref="CustomerId"/> struct.</summary>
    /// <param name="value">The host's identifier; not null, empty or white space.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty or white space.</exception>
    public CustomerId(string value) => _value = Guard.NotBlank(value);

    /// <summary>Gets the identifier; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Gets whether this is the default (invalid) value.</summary>
    public bool IsDefault => _value is null;

    /// <summary>Returns whether two identifiers are ordinally equal.</summary>
    public static bool operator ==(CustomerId left, CustomerId right) => left.Equals(right);

    /// <summary>Returns whether two identifiers differ.</summary>
    public static bool operator !=(CustomerId left, CustomerId right) => !left.Equals(right);

    /// <summary>Compares two identifiers ordinally.</summary>
    public static bool operator <(CustomerId left, CustomerId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two identifiers ordinally.</summary>
    public static bool operator >(CustomerId left, CustomerId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two identifiers ordinally.</summary>
    public static bool operator <=(CustomerId left, CustomerId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two identifiers ordinally.</summary>
    public static bool operator >=(CustomerId left, CustomerId right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public int CompareTo(CustomerId other) => string.CompareOrdinal(Value, other.Value);

    /// <inheritdoc />
    public bool Equals(CustomerId other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CustomerId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Returns the identifier.</summary>
    /// <returns>The host's identifier.</returns>
    public override string ToString() => Value;
}
