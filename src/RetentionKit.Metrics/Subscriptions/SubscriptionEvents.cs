using System;
using NodaTime;
using RetentionKit.Internal;

namespace RetentionKit.Metrics.Subscriptions;

/// <summary>
/// One fact from the host's billing system about a customer's subscription: a <see cref="SubscriptionChange"/>
/// (sign-up, upgrade, downgrade, price change), a <see cref="Cancellation"/> or a <see cref="Reactivation"/>.
/// </summary>
/// <remarks>
/// Events are immutable and validated when constructed. <see cref="Id"/> identifies the event within its customer's
/// history: the same event supplied twice is ignored, while two different events with one id are rejected.
/// Events of one customer on the same date apply in the order supplied.
/// </remarks>
public abstract record SubscriptionEvent
{
    private protected SubscriptionEvent(string id, CustomerId customer, LocalDate effectiveDate)
    {
        Id = Guard.NotBlank(id);
        Customer = Guard.Valid(customer);
        EffectiveDate = effectiveDate;
    }

    /// <summary>Gets the event's identifier, unique within the customer's history.</summary>
    public string Id { get; }

    /// <summary>Gets the customer the event belongs to.</summary>
    public CustomerId Customer { get; }

    /// <summary>Gets the date from which the event takes effect (inclusive).</summary>
    public LocalDate EffectiveDate { get; }
}

/// <summary>
/// The customer's subscription is, from <see cref="SubscriptionEvent.EffectiveDate"/>, the given plan at the given
/// price. The first change of a customer is their sign-up; later ones are upgrades, downgrades or price changes.
/// </summary>
public sealed record SubscriptionChange : SubscriptionEvent
{
    /// <summary>Initializes a new instance of the <see cref="SubscriptionChange"/> class.</summary>
    /// <param name="id">The event's identifier, unique within the customer's history.</param>
    /// <param name="customer">The customer.</param>
    /// <param name="plan">The plan subscribed to.</param>
    /// <param name="amount">The list price billed each <paramref name="interval"/>; not negative (zero for a free plan).</param>
    /// <param name="interval">How often <paramref name="amount"/> is billed.</param>
    /// <param name="effectiveDate">The first day on the new terms.</param>
    /// <param name="discount">A discount off the list price; zero by default.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="plan"/> is blank, or <paramref name="customer"/> is the default.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    public SubscriptionChange(string id, CustomerId customer, string plan, Money amount, BillingInterval interval, LocalDate effectiveDate, Rate discount = default)
        : base(id, customer, effectiveDate)
    {
        Terms = new SubscriptionTerms(plan, amount, interval, discount);
    }

    /// <summary>Gets the plan, price, interval and discount in effect from the event's date.</summary>
    public SubscriptionTerms Terms { get; }
}

/// <summary>The customer's subscription ends on <see cref="SubscriptionEvent.EffectiveDate"/> (their first day without service).</summary>
public sealed record Cancellation : SubscriptionEvent
{
    /// <summary>Initializes a new instance of the <see cref="Cancellation"/> class.</summary>
    /// <param name="id">The event's identifier, unique within the customer's history.</param>
    /// <param name="customer">The customer.</param>
    /// <param name="effectiveDate">The first day without service.</param>
    /// <param name="reason">Why the customer left; <see cref="ChurnReason.Unknown"/> when not recorded.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is blank or <paramref name="customer"/> is the default.</exception>
    public Cancellation(string id, CustomerId customer, LocalDate effectiveDate, ChurnReason reason)
        : base(id, customer, effectiveDate)
    {
        Reason = reason;
    }

    /// <summary>Gets why the customer left.</summary>
    public ChurnReason Reason { get; }
}

/// <summary>A customer who had cancelled subscribes again, from <see cref="SubscriptionEvent.EffectiveDate"/>, on the given terms.</summary>
public sealed record Reactivation : SubscriptionEvent
{
    /// <summary>Initializes a new instance of the <see cref="Reactivation"/> class.</summary>
    /// <param name="id">The event's identifier, unique within the customer's history.</param>
    /// <param name="customer">The customer.</param>
    /// <param name="plan">The plan subscribed to.</param>
    /// <param name="amount">The list price billed each <paramref name="interval"/>; not negative.</param>
    /// <param name="interval">How often <paramref name="amount"/> is billed.</param>
    /// <param name="effectiveDate">The first day of the renewed service.</param>
    /// <param name="discount">A discount off the list price (a win-back offer, say); zero by default.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="plan"/> is blank, or <paramref name="customer"/> is the default.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    public Reactivation(string id, CustomerId customer, string plan, Money amount, BillingInterval interval, LocalDate effectiveDate, Rate discount = default)
        : base(id, customer, effectiveDate)
    {
        Terms = new SubscriptionTerms(plan, amount, interval, discount);
    }

    /// <summary>Gets the plan, price, interval and discount of the renewed subscription.</summary>
    public SubscriptionTerms Terms { get; }
}

/// <summary>The commercial terms of a subscription: plan, list price per billing interval, and discount.</summary>
public sealed record SubscriptionTerms
{
    /// <summary>Initializes a new instance of the <see cref="SubscriptionTerms"/> class.</summary>
    /// <param name="plan">The plan's name or identifier in the host's catalogue; not blank.</param>
    /// <param name="amount">The list price billed each <paramref name="interval"/>; not negative.</param>
    /// <param name="interval">How often <paramref name="amount"/> is billed.</param>
    /// <param name="discount">A discount off the list price.</param>
    /// <exception cref="ArgumentException"><paramref name="plan"/> is blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    public SubscriptionTerms(string plan, Money amount, BillingInterval interval, Rate discount)
    {
        Plan = Guard.NotBlank(plan);
        Amount = new Money(Guard.NonNegative(amount.Amount, nameof(amount)), amount.Currency);
        Interval = interval;
        Discount = discount;
    }

    /// <summary>Gets the plan.</summary>
    public string Plan { get; }

    /// <summary>Gets the list price billed each <see cref="Interval"/>.</summary>
    public Money Amount { get; }

    /// <summary>Gets how often <see cref="Amount"/> is billed.</summary>
    public BillingInterval Interval { get; }

    /// <summary>Gets the discount off the list price.</summary>
    public Rate Discount { get; }

    /// <summary>Gets the list price normalised to a month (unrounded).</summary>
    public Money MonthlyListAmount => Interval.ToMonthly(Amount);

    /// <summary>Gets the discounted price normalised to a month (unrounded).</summary>
    public Money MonthlyNetAmount => MonthlyListAmount * (1m - (decimal)Discount.Fraction);
}

/// <summary>Why a customer cancelled. Hosts may use their own reason codes; the well-known ones are provided.</summary>
/// <remarks>Reasons compare ordinally and case-insensitively. The default value is <see cref="Unknown"/>.</remarks>
public readonly struct ChurnReason : IEquatable<ChurnReason>
{
    private readonly string? _code;

    /// <summary>Initializes a new instance of the <see cref="ChurnReason"/> struct.</summary>
    /// <param name="code">The reason code; not blank. Stored in lower case.</param>
    /// <exception cref="ArgumentException"><paramref name="code"/> is blank.</exception>
    public ChurnReason(string code) => _code = Guard.NotBlank(code).Trim().ToLowerInvariant();

    /// <summary>Gets the reason when none was recorded.</summary>
    public static ChurnReason Unknown => default;

    /// <summary>Gets the reason "price": too expensive for the value perceived.</summary>
    public static ChurnReason Price { get; } = new("price");

    /// <summary>Gets the reason "product": missing features, quality, fit.</summary>
    public static ChurnReason Product { get; } = new("product");

    /// <summary>Gets the reason "competitor": moved to a competitor.</summary>
    public static ChurnReason Competitor { get; } = new("competitor");

    /// <summary>Gets the reason "support": poor service or support.</summary>
    public static ChurnReason Support { get; } = new("support");

    /// <summary>Gets the reason "no-longer-needed": the need went away (project ended, company closed).</summary>
    public static ChurnReason NoLongerNeeded { get; } = new("no-longer-needed");

    /// <summary>Gets the reason "payment": involuntary churn after failed payments.</summary>
    public static ChurnReason Payment { get; } = new("payment");

    /// <summary>Gets the reason code (lower case); "unknown" for <see cref="Unknown"/>.</summary>
    public string Code => _code ?? "unknown";

    /// <summary>Returns whether two reasons have the same code.</summary>
    public static bool operator ==(ChurnReason left, ChurnReason right) => left.Equals(right);

    /// <summary>Returns whether two reasons differ.</summary>
    public static bool operator !=(ChurnReason left, ChurnReason right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(ChurnReason other) => string.Equals(Code, other.Code, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ChurnReason other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Code);

    /// <summary>Returns the reason code.</summary>
    /// <returns>The code.</returns>
    public override string ToString() => Code;
}
