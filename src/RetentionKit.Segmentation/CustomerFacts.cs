using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace RetentionKit.Segmentation;

/// <summary>What the built-in segmentations read about one customer. Fill what you have; each segmentation names what it needs.</summary>
/// <remarks>
/// Beyond the built-in facts, a host adds facts of its own, typed and named by a <see cref="FactKey{T}"/>, with
/// <see cref="With{T}"/>; its segmentations read them with <see cref="Get{T}"/> or <see cref="TryGet{T}"/>. Two facts
/// compare equal when their built-in facts are equal and they hold the same added facts (the same instances).
/// </remarks>
/// <param name="Customer">The customer.</param>
public readonly record struct CustomerFacts(CustomerId Customer)
{
    /// <summary>Gets the customer lifetime value (value segments).</summary>
    public Money LifetimeValue { get; init; }

    /// <summary>Gets the revenue over the period being reported (distribution report).</summary>
    public Money Revenue { get; init; }

    /// <summary>Gets the usage score, 0–100 (personas); NaN when unknown.</summary>
    public double Usage { get; init; } = double.NaN;

    /// <summary>Gets the engagement score, 0–100 (personas); NaN when unknown.</summary>
    public double Engagement { get; init; } = double.NaN;

    /// <summary>Gets the industry key (industry profiles), e.g. "technology"; null when unknown.</summary>
    public string? Industry { get; init; }

    /// <summary>Gets the days since the last purchase or payment (RFM recency).</summary>
    public int DaysSinceLastPurchase { get; init; }

    /// <summary>Gets the number of purchases or payments (RFM frequency).</summary>
    public int Purchases { get; init; }

    /// <summary>Gets the total spend, in the lifetime value's currency (RFM monetary value).</summary>
    public decimal Spend { get; init; }

    private ImmutableDictionary<string, object?>? Added { get; init; }

    /// <summary>Gets the names of the facts added with <see cref="With{T}"/>.</summary>
    public IEnumerable<string> AddedFactNames => Added?.Keys ?? [];

    /// <summary>Returns these facts with a fact of the host's own set (replacing a value under the same name).</summary>
    /// <typeparam name="T">The fact's type.</typeparam>
    /// <param name="key">The fact's key.</param>
    /// <param name="value">The value.</param>
    /// <returns>The new facts.</returns>
    /// <exception cref="ArgumentException">The key is the default one, or the name already holds a fact of another type.</exception>
    public CustomerFacts With<T>(FactKey<T> key, T value)
    {
        Require(key);
        if (Added is not null && Added.TryGetValue(key.Name, out var existing) && existing is not null && existing is not T)
        {
            throw new ArgumentException($"The fact '{key.Name}' of customer {Customer} holds a {existing.GetType().Name}; it cannot be set as {typeof(T).Name}.", nameof(key));
        }

        return this with { Added = (Added ?? ImmutableDictionary.Create<string, object?>(StringComparer.Ordinal)).SetItem(key.Name, value) };
    }

    /// <summary>Gets a fact of the host's own, if the customer has it.</summary>
    /// <typeparam name="T">The fact's type.</typeparam>
    /// <param name="key">The fact's key.</param>
    /// <param name="value">The value, or default when the customer does not have it.</param>
    /// <returns>Whether the customer has the fact.</returns>
    /// <exception cref="ArgumentException">The key is the default one, or the name holds a fact of another type.</exception>
    public bool TryGet<T>(FactKey<T> key, [MaybeNullWhen(false)] out T value)
    {
        Require(key);
        if (Added is null || !Added.TryGetValue(key.Name, out var found))
        {
            value = default;
            return false;
        }

        if (found is T typed)
        {
            value = typed;
            return true;
        }

        if (found is null && default(T) is null)
        {
            value = default!;
            return true;
        }

        throw new ArgumentException($"The fact '{key.Name}' of customer {Customer} holds a {found?.GetType().Name ?? "null"}, not a {typeof(T).Name}.", nameof(key));
    }

    /// <summary>Gets a fact of the host's own that the customer must have.</summary>
    /// <typeparam name="T">The fact's type.</typeparam>
    /// <param name="key">The fact's key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The customer does not have the fact.</exception>
    /// <exception cref="ArgumentException">The key is the default one, or the name holds a fact of another type.</exception>
    public T Get<T>(FactKey<T> key) =>
        TryGet(key, out var value)
            ? value
            : throw new KeyNotFoundException($"Customer {Customer} has no fact '{key.Name}'; add it with CustomerFacts.With before segmenting.");

    private static void Require<T>(FactKey<T> key)
    {
        if (key.Name.Length == 0)
        {
            throw new ArgumentException("The fact key must have a name, not be default.", nameof(key));
        }
    }
}
