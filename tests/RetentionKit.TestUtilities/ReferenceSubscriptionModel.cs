using System.Collections.Generic;
using System.Linq;
using NodaTime;
using RetentionKit.Metrics.Subscriptions;

namespace RetentionKit.TestUtilities;

/// <summary>
/// A deliberately naive model of a subscription history: replays a customer's events up to a date to find their state.
/// Slow and obviously right; the analyzer is checked against it.
/// </summary>
public static class ReferenceSubscriptionModel
{
    public static (bool Active, decimal Mrr) StateAt(IEnumerable<SubscriptionEvent> customerEvents, LocalDate date, DiscountTreatment discounts = DiscountTreatment.NetOfDiscount)
    {
        var active = false;
        var mrr = 0m;
        foreach (var e in customerEvents.Where(e => e.EffectiveDate <= date))
        {
            switch (e)
            {
                case SubscriptionChange c:
                    active = true;
                    mrr = Monthly(c.Terms, discounts);
                    break;
                case Reactivation r:
                    active = true;
                    mrr = Monthly(r.Terms, discounts);
                    break;
                case Cancellation:
                    active = false;
                    mrr = 0m;
                    break;
            }
        }

        return (active, mrr);
    }

    public static LocalDate SignupDate(IEnumerable<SubscriptionEvent> customerEvents) => customerEvents.First().EffectiveDate;

    private static decimal Monthly(SubscriptionTerms terms, DiscountTreatment discounts) =>
        discounts == DiscountTreatment.NetOfDiscount ? terms.MonthlyNetAmount.Amount : terms.MonthlyListAmount.Amount;
}
