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

    /// <summary>A customer's standing at a date, replayed naively: what <c>CustomerBase</c> must say.</summary>
    public static (bool Active, decimal Mrr, string? Plan, int Cancellations, int Reactivations, LocalDate? CancelledOn, LocalDate? ReactivatedOn, string? Reason) StandingAt(IEnumerable<SubscriptionEvent> customerEvents, LocalDate date)
    {
        var (active, mrr) = StateAt(customerEvents, date);
        string? plan = null;
        int cancellations = 0, reactivations = 0;
        LocalDate? cancelledOn = null, reactivatedOn = null;
        string? reason = null;
        foreach (var e in customerEvents.Where(e => e.EffectiveDate <= date))
        {
            switch (e)
            {
                case SubscriptionChange c:
                    plan = c.Terms.Plan;
                    break;
                case Reactivation r:
                    plan = r.Terms.Plan;
                    reactivations++;
                    reactivatedOn = r.EffectiveDate;
                    break;
                case Cancellation x:
                    cancellations++;
                    cancelledOn = x.EffectiveDate;
                    reason = x.Reason.Code;
                    break;
            }
        }

        return (active, mrr, plan, cancellations, reactivations, cancelledOn, reactivatedOn, reason);
    }

    public static LocalDate SignupDate(IEnumerable<SubscriptionEvent> customerEvents) => customerEvents.First().EffectiveDate;

    private static decimal Monthly(SubscriptionTerms terms, DiscountTreatment discounts) =>
        discounts == DiscountTreatment.NetOfDiscount ? terms.MonthlyNetAmount.Amount : terms.MonthlyListAmount.Amount;
}
