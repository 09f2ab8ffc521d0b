using System;
using System.Collections.Generic;
using NodaTime;
using RetentionKit.Metrics.Subscriptions;

namespace RetentionKit.Benchmarks;

/// <summary>A seeded, valid subscription history of a given size: sign-ups spread over the months, then changes, cancellations and reactivations.</summary>
internal static class SubscriptionHistoryGenerator
{
    public static readonly LocalDate Start = new(2023, 1, 1);

    public static SubscriptionEvent[] Generate(int events, int months, int seed)
    {
        var random = new Random(seed);
        var result = new List<SubscriptionEvent>(events);
        var end = Start.PlusMonths(months).PlusDays(-1);
        var span = Period.DaysBetween(Start, end);
        var customer = 0;
        while (result.Count < events)
        {
            var id = new CustomerId("cust-" + customer++);
            var date = Start.PlusDays(random.Next(span));
            var n = 0;
            var active = true;
            result.Add(new SubscriptionChange("e" + n++, id, "starter", Money.Usd(random.Next(2, 50) * 10m), random.Next(5) == 0 ? BillingInterval.Annual : BillingInterval.Monthly, date));
            var steps = random.Next(0, 18);
            for (var s = 0; s < steps && result.Count < events; s++)
            {
                date = date.PlusDays(random.Next(10, 90));
                if (date > end)
                {
                    break;
                }

                var roll = random.Next(100);
                if (active && roll < 15)
                {
                    result.Add(new Cancellation("e" + n++, id, date, roll < 5 ? ChurnReason.Price : ChurnReason.Competitor));
                    active = false;
                }
                else if (active)
                {
                    result.Add(new SubscriptionChange("e" + n++, id, "plan", Money.Usd(random.Next(2, 80) * 10m), BillingInterval.Monthly, date, roll < 25 ? Rate.FromPercent(20) : Rate.Zero));
                }
                else
                {
                    result.Add(new Reactivation("e" + n++, id, "plan", Money.Usd(random.Next(2, 50) * 10m), BillingInterval.Monthly, date));
                    active = true;
                }
            }
        }

        return result.ToArray();
    }
}
