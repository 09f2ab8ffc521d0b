using System;
using System.Collections;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Diagnostics.CodeAnalysis;
using NodaTime;

namespace RetentionKit.Metrics.Subscriptions;

/// <summary>Whether a customer is subscribed at the as-of date.</summary>
public enum CustomerStatus
{
    /// <summary>Subscribed: the latest event by the as-of date is a subscription change or a reactivation.</summary>
    Active = 0,

    /// <summary>Not subscribed: the latest event by the as-of date is a cancellation.</summary>
    Churned = 1,
}

/// <summary>
/// One customer as of a date, from the same replay of the subscription events as the MRR bridge: status, plan, MRR,
/// sign-up, tenure and the churn and reactivation history.
/// </summary>
public sealed record CustomerStanding
{
    internal CustomerStanding(CustomerId customer, CustomerStatus status, string plan, Money mrr, LocalDate signedUp, int tenureMonths, LocalDate? cancelledOn, ChurnReason? lastChurnReason, LocalDate? reactivatedOn, int cancellations, int reactivations)
    {
        Customer = customer;
        Status = status;
        Plan = plan;
        Mrr = mrr;
        SignedUp = signedUp;
        TenureMonths = tenureMonths;
        CancelledOn = cancelledOn;
        LastChurnReason = lastChurnReason;
        ReactivatedOn = reactivatedOn;
        Cancellations = cancellations;
        Reactivations = reactivations;
    }

    /// <summary>Gets the customer.</summary>
    public CustomerId Customer { get; }

    /// <summary>Gets whether the customer is subscribed at the as-of date.</summary>
    public CustomerStatus Status { get; }

    /// <summary>Gets a value indicating whether the customer is subscribed at the as-of date.</summary>
    public bool IsActive => Status == CustomerStatus.Active;

    /// <summary>Gets the plan of the customer's latest terms: today's plan, or for a churned customer the plan they left.</summary>
    public string Plan { get; }

    /// <summary>
    /// Gets the customer's monthly recurring revenue at the as-of date, normalised as the analysis normalises it
    /// (interval, discount treatment, rounding); zero when churned. The active customers' MRR adds up to the last
    /// period's ending MRR.
    /// </summary>
    public Money Mrr { get; }

    /// <summary>Gets the date of the customer's first subscription.</summary>
    public LocalDate SignedUp { get; }

    /// <summary>
    /// Gets the whole months from sign-up to the as-of date, or for a churned customer to their latest cancellation;
    /// months between a cancellation and a reactivation are counted (tenure is the relationship's age, not time paid).
    /// </summary>
    public int TenureMonths { get; }

    /// <summary>Gets the date of the latest cancellation by the as-of date, also when a reactivation followed; null if none.</summary>
    public LocalDate? CancelledOn { get; }

    /// <summary>Gets the reason of the latest cancellation; null if the customer never cancelled.</summary>
    public ChurnReason? LastChurnReason { get; }

    /// <summary>Gets the date of the latest reactivation by the as-of date; null if none.</summary>
    public LocalDate? ReactivatedOn { get; }

    /// <summary>Gets how many times the customer cancelled by the as-of date.</summary>
    public int Cancellations { get; }

    /// <summary>Gets how many times the customer came back by the as-of date.</summary>
    public int Reactivations { get; }
}

/// <summary>
/// The customer base as of the analysis date: every customer with an event by then, in the order of their first event
/// in the input, each with their <see cref="CustomerStanding"/>. Computed in the same pass as the MRR bridge, so that
/// every stage of a host (scoring, loyalty, playbooks, a report) agrees with the MRR figures on who is active and at
/// what MRR.
/// </summary>
/// <remarks>Thread safety: immutable and safe to share.</remarks>
public sealed class CustomerBase : IReadOnlyList<CustomerStanding>
{
    private readonly ImmutableArray<CustomerStanding> _customers;
    private readonly FrozenDictionary<CustomerId, int> _index;

    internal CustomerBase(LocalDate asOf, Currency currency, CustomerStanding[] customers, Dictionary<CustomerId, int> index)
    {
        AsOf = asOf;
        Currency = currency;
        _customers = ImmutableCollectionsMarshal.AsImmutableArray(customers); // the analyzer's array, handed over
        _index = index.ToFrozenDictionary();
        var mrr = 0m;
        foreach (var c in customers)
        {
            if (c.IsActive)
            {
                ActiveCount++;
                mrr += c.Mrr.Amount;
            }
        }

        Mrr = new Money(mrr, currency);
    }

    /// <summary>Gets the date the standings hold at.</summary>
    public LocalDate AsOf { get; }

    /// <summary>Gets the currency of every amount.</summary>
    public Currency Currency { get; }

    /// <summary>Gets the number of customers with an event by <see cref="AsOf"/>, active or not.</summary>
    public int Count => _customers.Length;

    /// <summary>Gets the number of customers subscribed at <see cref="AsOf"/>.</summary>
    public int ActiveCount { get; }

    /// <summary>Gets the active customers' total MRR: the last period's ending MRR.</summary>
    public Money Mrr { get; }

    /// <summary>Gets the active customers, in the base's order.</summary>
    public IEnumerable<CustomerStanding> Active
    {
        get
        {
            foreach (var c in _customers)
            {
                if (c.IsActive)
                {
                    yield return c;
                }
            }
        }
    }

    /// <summary>Gets the customer at a position in the base's order.</summary>
    /// <param name="index">The position, from 0 to <see cref="Count"/> − 1.</param>
    /// <returns>The customer's standing.</returns>
    public CustomerStanding this[int index] => _customers[index];

    /// <summary>Gets a customer's standing, if the customer has an event by <see cref="AsOf"/>.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="standing">The standing, or null.</param>
    /// <returns>Whether the customer is in the base.</returns>
    public bool TryGet(CustomerId customer, [NotNullWhen(true)] out CustomerStanding? standing)
    {
        if (_index.TryGetValue(customer, out var i))
        {
            standing = _customers[i];
            return true;
        }

        standing = null;
        return false;
    }

    /// <summary>Gets whether a customer is subscribed at <see cref="AsOf"/>; false for a customer not in the base.</summary>
    /// <param name="customer">The customer.</param>
    /// <returns>Whether the customer is active.</returns>
    public bool IsActive(CustomerId customer) => TryGet(customer, out var s) && s.IsActive;

    /// <summary>
    /// Net and gross revenue retention from an earlier base to this one (trailing twelve months when the earlier base is a
    /// year old): of the customers active then, their MRR now (expansion and contraction per customer, churn for those
    /// no longer active) against their MRR then. Customers who joined or came back in between do not count. With a one
    /// month gap this is the month's <see cref="MrrPeriod.RevenueRetention"/>.
    /// </summary>
    /// <param name="earlier">The base at the start of the window, in the same currency.</param>
    /// <returns>NRR and GRR; null when no customer had MRR at the start.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="earlier"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="earlier"/> is in another currency or not earlier than this base.</exception>
    public RevenueRetentionResult? RevenueRetentionSince(CustomerBase earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        if (earlier.Currency != Currency)
        {
            throw new ArgumentException($"earlier is in {earlier.Currency}, but this base is in {Currency}.", nameof(earlier));
        }

        if (earlier.AsOf >= AsOf)
        {
            throw new ArgumentException($"earlier must be a base before {AsOf:uuuu-MM-dd}; it is as of {earlier.AsOf:uuuu-MM-dd}.", nameof(earlier));
        }

        decimal starting = 0m, expansion = 0m, contraction = 0m, churned = 0m;
        foreach (var then in earlier.Active)
        {
            starting += then.Mrr.Amount;
            if (!TryGet(then.Customer, out var now) || !now.IsActive)
            {
                churned += then.Mrr.Amount;
                continue;
            }

            var change = now.Mrr.Amount - then.Mrr.Amount;
            expansion += Math.Max(change, 0m);
            contraction += Math.Max(-change, 0m);
        }

        return starting > 0m
            ? RevenueRetention.Compute(new Money(starting, Currency), new Money(expansion, Currency), new Money(contraction, Currency), new Money(churned, Currency))
            : null;
    }

    /// <inheritdoc/>
    public IEnumerator<CustomerStanding> GetEnumerator() => ((IEnumerable<CustomerStanding>)_customers).GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static CustomerBase Empty(LocalDate asOf, Currency currency) => new(asOf, currency, [], []);
}
