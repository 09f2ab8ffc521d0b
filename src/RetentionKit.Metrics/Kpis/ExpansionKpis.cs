using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using NodaTime;

namespace RetentionKit.Metrics.Kpis;

/// <summary>Upsell and cross-sell KPIs from offer outcomes (SPEC M11).</summary>
public static class ExpansionKpis
{
    /// <summary>Computes conversion, revenue, breakdowns and timing for upsell and cross-sell offers.</summary>
    /// <param name="outcomes">The offers and their outcomes.</param>
    /// <param name="currency">The currency of every revenue amount.</param>
    /// <param name="segmentOf">Optional: each customer's segment label, for the by-segment breakdown.</param>
    /// <param name="signupDateOf">Optional: each customer's sign-up date, for the average time to an accepted offer; return null when unknown.</param>
    /// <returns>The KPIs of each kind.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="outcomes"/> is null.</exception>
    /// <exception cref="ArgumentException">An outcome is null or in another currency, two different outcomes share an id, a segment label is blank, or an offer was accepted before the customer signed up.</exception>
    public static ExpansionKpiReport Compute(
        IEnumerable<OfferOutcome> outcomes,
        Currency currency,
        Func<CustomerId, string>? segmentOf = null,
        Func<CustomerId, LocalDate?>? signupDateOf = null)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var seen = new Dictionary<string, OfferOutcome>(StringComparer.Ordinal);
        var upsell = new Accumulator(currency);
        var crossSell = new Accumulator(currency);
        var index = 0;
        foreach (var outcome in outcomes)
        {
            if (outcome is null)
            {
                throw new ArgumentException($"outcomes contains null at index {index}.", nameof(outcomes));
            }

            index++;
            ref var previous = ref CollectionsMarshal.GetValueRefOrAddDefault(seen, outcome.Id, out var exists);
            if (exists)
            {
                if (previous!.Equals(outcome))
                {
                    continue;
                }

                throw new ArgumentException($"outcomes contains two different outcomes with id '{outcome.Id}': {previous} and {outcome}.", nameof(outcomes));
            }

            previous = outcome;
            if (outcome.Revenue.Currency != currency)
            {
                throw new ArgumentException($"outcome '{outcome.Id}' is in {outcome.Revenue.Currency}, but the report is in {currency}.", nameof(outcomes));
            }

            string? segment = null;
            if (segmentOf is not null)
            {
                segment = segmentOf(outcome.Customer);
                if (string.IsNullOrWhiteSpace(segment))
                {
                    throw new ArgumentException($"segmentOf returned a blank segment for customer '{outcome.Customer}'.", nameof(segmentOf));
                }
            }

            LocalDate? signup = outcome.Accepted ? signupDateOf?.Invoke(outcome.Customer) : null;
            if (signup is { } s && s > outcome.AcceptedOn!.Value)
            {
                throw new ArgumentException($"offer '{outcome.Id}' was accepted on {outcome.AcceptedOn:uuuu-MM-dd}, before customer '{outcome.Customer}' signed up on {s:uuuu-MM-dd}.", nameof(signupDateOf));
            }

            (outcome.Kind == OfferKind.Upsell ? upsell : crossSell).Add(outcome, segment, signup);
        }

        return new ExpansionKpiReport(upsell.Build(), crossSell.Build());
    }

    private sealed class Accumulator(Currency currency)
    {
        private readonly Dictionary<string, (int Offered, int Accepted, decimal Revenue)> _bySegment = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (int Offered, int Accepted, decimal Revenue)> _byProduct = new(StringComparer.Ordinal);
        private int _offered;
        private int _accepted;
        private decimal _revenue;
        private long _daysToAccept;
        private long _daysFromSignup;
        private int _withSignup;

        public void Add(OfferOutcome outcome, string? segment, LocalDate? signup)
        {
            _offered++;
            var accepted = outcome.Accepted ? 1 : 0;
            _accepted += accepted;
            _revenue += outcome.Revenue.Amount;
            if (outcome.AcceptedOn is { } on)
            {
                _daysToAccept += Period.DaysBetween(outcome.OfferedOn, on);
                if (signup is { } s)
                {
                    _daysFromSignup += Period.DaysBetween(s, on);
                    _withSignup++;
                }
            }

            Bump(_byProduct, outcome.Product, accepted, outcome.Revenue.Amount);
            if (segment is not null)
            {
                Bump(_bySegment, segment, accepted, outcome.Revenue.Amount);
            }
        }

        public OfferKpis Build() => new(
            _offered,
            _accepted,
            new Money(_revenue, currency),
            _accepted == 0 ? null : (double)_daysToAccept / _accepted,
            _withSignup == 0 ? null : (double)_daysFromSignup / _withSignup,
            Tallies(_bySegment),
            Tallies(_byProduct));

        private static void Bump(Dictionary<string, (int Offered, int Accepted, decimal Revenue)> map, string key, int accepted, decimal revenue)
        {
            ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(map, key, out _);
            tally = (tally.Offered + 1, tally.Accepted + accepted, tally.Revenue + revenue);
        }

        private ImmutableSortedDictionary<string, OfferTally> Tallies(Dictionary<string, (int Offered, int Accepted, decimal Revenue)> map)
        {
            var builder = ImmutableSortedDictionary.CreateBuilder<string, OfferTally>(StringComparer.Ordinal);
            foreach (var (key, tally) in map)
            {
                builder[key] = new OfferTally(tally.Offered, tally.Accepted, new Money(tally.Revenue, currency));
            }

            return builder.ToImmutable();
        }
    }
}

/// <summary>Upsell and cross-sell KPIs side by side.</summary>
/// <param name="Upsell">The upsell offers.</param>
/// <param name="CrossSell">The cross-sell offers.</param>
public sealed record ExpansionKpiReport(OfferKpis Upsell, OfferKpis CrossSell);

/// <summary>Offers of one kind: how many converted, what they brought, and how long it took.</summary>
/// <param name="Offered">Offers made.</param>
/// <param name="Accepted">Offers accepted.</param>
/// <param name="Revenue">Revenue of the accepted offers.</param>
/// <param name="AverageDaysToAccept">Mean days from offer to acceptance; null when none was accepted.</param>
/// <param name="AverageDaysFromSignup">Mean days from sign-up to an accepted offer ("time to upsell"); null without sign-up dates or acceptances.</param>
/// <param name="BySegment">Offers by customer segment; empty without a segment function.</param>
/// <param name="ByProduct">Offers by plan or product.</param>
public sealed record OfferKpis(
    int Offered,
    int Accepted,
    Money Revenue,
    double? AverageDaysToAccept,
    double? AverageDaysFromSignup,
    ImmutableSortedDictionary<string, OfferTally> BySegment,
    ImmutableSortedDictionary<string, OfferTally> ByProduct)
{
    /// <summary>Gets accepted ÷ offered; null (undefined) when nothing was offered.</summary>
    public Rate? Conversion => Offered == 0 ? null : Rate.FromCounts(Accepted, Offered);
}

/// <summary>Offers in one group (a segment or a product).</summary>
/// <param name="Offered">Offers made.</param>
/// <param name="Accepted">Offers accepted.</param>
/// <param name="Revenue">Revenue of the accepted offers.</param>
public sealed record OfferTally(int Offered, int Accepted, Money Revenue)
{
    /// <summary>Gets accepted ÷ offered; null when nothing was offered.</summary>
    public Rate? Conversion => Offered == 0 ? null : Rate.FromCounts(Accepted, Offered);
}
