using System;
using NodaTime;
using RetentionKit.Internal;

namespace RetentionKit.Metrics.Kpis;

/// <summary>What kind of expansion an offer was.</summary>
public enum OfferKind
{
    /// <summary>A move to a higher plan or more capacity of the same product.</summary>
    Upsell,

    /// <summary>An additional, complementary product.</summary>
    CrossSell,
}

/// <summary>One expansion offer made to a customer and its outcome, as recorded by the host (SPEC M11).</summary>
/// <remarks>
/// <see cref="Id"/> identifies the offer: the same outcome supplied twice is counted once, while two different outcomes
/// with one id are rejected.
/// </remarks>
public sealed record OfferOutcome
{
    /// <summary>Initializes a new instance of the <see cref="OfferOutcome"/> class.</summary>
    /// <param name="id">The offer's identifier; not blank.</param>
    /// <param name="customer">The customer.</param>
    /// <param name="kind">Upsell or cross-sell.</param>
    /// <param name="product">The plan or product offered; not blank.</param>
    /// <param name="offeredOn">When the offer was made.</param>
    /// <param name="acceptedOn">When the customer accepted; null if they did not (yet).</param>
    /// <param name="revenue">The revenue the accepted offer added (for example its MRR); zero when not accepted; not negative.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="product"/> is blank, <paramref name="customer"/> is the default, or a declined offer carries revenue.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is undefined, <paramref name="revenue"/> is negative, or <paramref name="acceptedOn"/> is before <paramref name="offeredOn"/>.</exception>
    public OfferOutcome(string id, CustomerId customer, OfferKind kind, string product, LocalDate offeredOn, LocalDate? acceptedOn, Money revenue)
    {
        Id = Guard.NotBlank(id);
        Customer = Guard.Valid(customer);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "kind must be a defined OfferKind value.");
        }

        Product = Guard.NotBlank(product);
        Guard.NonNegative(revenue.Amount, nameof(revenue));
        if (acceptedOn is { } accepted && accepted < offeredOn)
        {
            throw new ArgumentOutOfRangeException(nameof(acceptedOn), accepted, $"acceptedOn ({accepted:uuuu-MM-dd}) must not be before offeredOn ({offeredOn:uuuu-MM-dd}).");
        }

        if (acceptedOn is null && revenue.Amount != 0m)
        {
            throw new ArgumentException($"revenue must be zero for an offer that was not accepted; got {revenue}.", nameof(revenue));
        }

        Kind = kind;
        OfferedOn = offeredOn;
        AcceptedOn = acceptedOn;
        Revenue = revenue;
    }

    /// <summary>Gets the offer's identifier.</summary>
    public string Id { get; }

    /// <summary>Gets the customer.</summary>
    public CustomerId Customer { get; }

    /// <summary>Gets whether this was an upsell or a cross-sell.</summary>
    public OfferKind Kind { get; }

    /// <summary>Gets the plan or product offered.</summary>
    public string Product { get; }

    /// <summary>Gets when the offer was made.</summary>
    public LocalDate OfferedOn { get; }

    /// <summary>Gets when the customer accepted, or null.</summary>
    public LocalDate? AcceptedOn { get; }

    /// <summary>Gets the revenue the accepted offer added.</summary>
    public Money Revenue { get; }

    /// <summary>Gets whether the customer accepted.</summary>
    public bool Accepted => AcceptedOn is not null;
}
