using System.Collections.Generic;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using RetentionKit.Metrics.Subscriptions;

namespace RetentionKit.TestUtilities;

/// <summary>Generators of valid domain values for FsCheck properties.</summary>
public static class DomainArbitraries
{
    public static readonly LocalDate HistoryStart = new(2024, 1, 1);

    public static Gen<decimal> Amounts => Gen.Choose(-1_000_000, 1_000_000).Select(cents => cents / 100m);

    public static Arbitrary<Money> MoneyUsd() => Amounts.Select(Money.Usd).ToArbitrary();

    public static Arbitrary<Rate> Rates() => Gen.Choose(0, 1_000_000).Select(ppm => Rate.FromFraction(ppm / 1_000_000d)).ToArbitrary();

    public static Arbitrary<SubscriptionHistory> Histories() =>
        Gen.Choose(1, 25)
            .SelectMany(customers => Gen.ListOf(CustomerScript, customers))
            .Select(scripts => SubscriptionHistory.FromScripts(scripts))
            .ToArbitrary();

    // Prices are multiples of 12 so that quarterly and annual plans normalise to exact decimals and the replayed
    // reference can be compared for exact equality.
    // A customer script: start offset in days and a list of (gap in days, code) steps, interpreted into a valid history.
    private static Gen<(int Start, (int Gap, int Code)[] Steps)> CustomerScript =>
        from start in Gen.Choose(0, 600)
        from steps in Gen.ArrayOf(Gen.Choose(0, 75).Zip(Gen.Choose(0, 99)))
        select (start, steps);
}

/// <summary>A generated, valid subscription history and its as-of date.</summary>
public sealed record SubscriptionHistory(IReadOnlyList<SubscriptionEvent> Events, LocalDate AsOf)
{
    public static SubscriptionHistory FromScripts(IEnumerable<(int Start, (int Gap, int Code)[] Steps)> scripts)
    {
        var events = new List<SubscriptionEvent>();
        var customerNumber = 0;
        var last = DomainArbitraries.HistoryStart;
        foreach (var (start, steps) in scripts)
        {
            var customer = new CustomerId($"c{customerNumber++}");
            var date = DomainArbitraries.HistoryStart.PlusDays(start);
            var n = 0;
            events.Add(Change(customer, n++, 50, date));
            var active = true;
            foreach (var (gap, code) in steps)
            {
                date = date.PlusDays(gap);
                if (active && code < 20)
                {
                    events.Add(new Cancellation($"e{n++}", customer, date, code % 2 == 0 ? ChurnReason.Price : ChurnReason.Competitor));
                    active = false;
                }
                else if (active)
                {
                    events.Add(Change(customer, n++, code, date));
                }
                else
                {
                    events.Add(new Reactivation($"e{n++}", customer, "plan", Money.Usd(code * 12m), Interval(code), date, Discount(code)));
                    active = true;
                }
            }

            last = date > last ? date : last;
        }

        return new SubscriptionHistory(events, last.PlusDays(10));
    }

    private static SubscriptionChange Change(CustomerId customer, int n, int code, LocalDate date) =>
        new($"e{n}", customer, $"plan-{code % 5}", Money.Usd(code * 12m), Interval(code), date, Discount(code));

    private static BillingInterval Interval(int code) => (code % 3) switch
    {
        0 => BillingInterval.Monthly,
        1 => BillingInterval.Quarterly,
        _ => BillingInterval.Annual,
    };

    private static Rate Discount(int code) => code % 4 == 0 ? Rate.FromPercent(15) : Rate.Zero;

    public override string ToString() => $"{Events.Count} events to {AsOf}: " + string.Join("; ", Events);
}
