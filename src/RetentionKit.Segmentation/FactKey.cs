using System;

namespace RetentionKit.Segmentation;

/// <summary>
/// The name and type of a fact a host adds to <see cref="CustomerFacts"/> beyond the built-in ones — seats, the plan,
/// a health score from another system — so that its own segmentations can read it:
/// <code>
/// static readonly FactKey&lt;int&gt; Seats = new("Seats");
/// var facts = new CustomerFacts(id).With(Seats, 42);
/// int seats = facts.Get(Seats);
/// </code>
/// </summary>
/// <typeparam name="T">The fact's type.</typeparam>
/// <remarks>Names are compared ordinally; one name holds one type (reading it as another throws).</remarks>
public readonly struct FactKey<T> : IEquatable<FactKey<T>>
{
    /// <summary>The longest name accepted.</summary>
    public const int MaxNameLength = 100;

    private readonly string? _name;

    /// <summary>Initializes a new instance of the <see cref="FactKey{T}"/> struct.</summary>
    /// <param name="name">The fact's name; not blank, at most <see cref="MaxNameLength"/> characters.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank or too long.</exception>
    public FactKey(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > MaxNameLength)
        {
            throw new ArgumentException($"name has at most {MaxNameLength} characters; got {name.Length}.", nameof(name));
        }

        _name = name;
    }

    /// <summary>Gets the fact's name (empty for the default key, which no fact has).</summary>
    public string Name => _name ?? string.Empty;

    /// <summary>Returns whether two keys have the same name.</summary>
    public static bool operator ==(FactKey<T> left, FactKey<T> right) => left.Equals(right);

    /// <summary>Returns whether two keys have different names.</summary>
    public static bool operator !=(FactKey<T> left, FactKey<T> right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(FactKey<T> other) => string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FactKey<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <summary>Returns the name and type, for messages.</summary>
    /// <returns>For example <c>Seats (Int32)</c>.</returns>
    public override string ToString() => $"{Name} ({typeof(T).Name})";
}
