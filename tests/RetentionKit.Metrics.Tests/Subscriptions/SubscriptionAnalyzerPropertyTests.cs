using System.Linq;
using FsCheck.Xunit;
using NodaTime;
using RetentionKit.Metrics.Subscriptions;
using RetentionKit.TestUtilities;

namespace RetentionKit.Metrics.Tests.Subscriptions;

public class SubscriptionAnalyzerPropertyTests
{
    private static readonly SubscriptionAnalyzer Analyzer = new(new SubscriptionAnalysisOptions());

    // The bridge reconciles by construction (MrrBridge checks it); this checks it against an independent replay:
    // each month's ending MRR and customer count equal the sum over customers of their replayed state at that date.
    [Property(Arbitrary = [typeof(DomainArbitraries)], MaxTest = 60)]
    public bool MrrBridge_MatchesReplayedSnapshots(SubscriptionHistory history)
    {
        var analysis = Analyzer.Analyze(history.Events, history.AsOf, Currency.Usd);
        var byCustomer = history.Events.GroupBy(e => e.Customer).ToList();
        var previousEnding = Money.Usd(0m);
        foreach (var period in analysis.Periods)
        {
            var states = byCustomer.Select(g => ReferenceSubscriptionModel.StateAt(g, period.End)).ToList();
            var mrr = period.Mrr;
            var reconciles = mrr.Starting + mrr.NewBusiness + mrr.Expansion + mrr.Reactivation - mrr.Contraction - mrr.Churn == mrr.Ending;
            if (!reconciles
                || mrr.Starting != previousEnding
                || mrr.Ending.Amount != states.Sum(s => s.Mrr)
                || period.Customers.Ending != states.Count(s => s.Active)
                || period.Customers.Ending != period.Customers.Starting + period.Customers.New + period.Customers.Reactivated - period.Customers.Churned)
            {
                return false;
            }

            previousEnding = mrr.Ending;
        }

        return true;
    }

    [Property(Arbitrary = [typeof(DomainArbitraries)], MaxTest = 60)]
    public bool Analysis_DoesNotDependOnInputOrder(SubscriptionHistory history)
    {
        var forward = Analyzer.Analyze(history.Events, history.AsOf, Currency.Usd);
        // Customers in reverse order; each customer's own events keep their order (same-day events apply as supplied).
        var backward = Analyzer.Analyze(history.Events.OrderByDescending(e => e.Customer.Value, System.StringComparer.Ordinal).ToList(), history.AsOf, Currency.Usd);
        return forward.Periods.Select(p => p.Mrr).SequenceEqual(backward.Periods.Select(p => p.Mrr))
            && forward.Periods.Select(p => p.Customers).SequenceEqual(backward.Periods.Select(p => p.Customers));
    }

    // Cohort customer retention can rise only through reactivations; the generated histories reactivate, so the law is
    // checked on the same histories with every reactivation (and what follows it) cut off.
    [Property(Arbitrary = [typeof(DomainArbitraries)], MaxTest = 60)]
    public bool CohortRetention_NeverRisesWithoutReactivations(SubscriptionHistory history)
    {
        var withoutReactivations = history.Events
            .GroupBy(e => e.Customer)
            .SelectMany(g => g.TakeWhile(e => e is not Reactivation))
            .ToList();
        var cohorts = Analyzer.Analyze(withoutReactivations, history.AsOf, Currency.Usd).Cohorts;
        return cohorts.All(row => row.Cells.Zip(row.Cells.Skip(1)).All(pair => pair.Second.ActiveCustomers <= pair.First.ActiveCustomers));
    }

    [Property(Arbitrary = [typeof(DomainArbitraries)], MaxTest = 60)]
    public bool Cohorts_MatchReplayedMembers(SubscriptionHistory history)
    {
        var analysis = Analyzer.Analyze(history.Events, history.AsOf, Currency.Usd);
        var customers = history.Events.GroupBy(e => e.Customer).ToList();
        foreach (var row in analysis.Cohorts)
        {
            var members = customers.Where(g => YearMonthOf(ReferenceSubscriptionModel.SignupDate(g)) == row.Cohort).ToList();
            if (members.Count != row.Size)
            {
                return false;
            }

            foreach (var cell in row.Cells)
            {
                var month = row.Cohort.PlusMonths(cell.Age);
                var end = analysis.Periods.Single(p => p.Month == month).End;
                var states = members.Select(g => ReferenceSubscriptionModel.StateAt(g, end)).ToList();
                if (cell.ActiveCustomers != states.Count(s => s.Active) || cell.Mrr.Amount != states.Sum(s => s.Mrr))
                {
                    return false;
                }
            }

            if (row.Cells.Length != analysis.Periods.Length - analysis.Periods.IndexOf(analysis.Periods.Single(p => p.Month == row.Cohort)))
            {
                return false;
            }
        }

        return analysis.Cohorts.Sum(r => r.Size) == customers.Count;
    }

    // The customer base comes from the same replay as the bridge: checked against the naive replay customer by customer,
    // and its active customers against the last period's ending count and MRR, at the end and in the middle of a history.
    [Property(Arbitrary = [typeof(DomainArbitraries)], MaxTest = 60)]
    public bool CustomerBase_MatchesReplayedStandings_AndTheBridge(SubscriptionHistory history)
    {
        var first = history.Events.Min(e => e.EffectiveDate);
        var middle = first.PlusDays(Period.Between(first, history.AsOf, PeriodUnits.Days).Days / 2);
        foreach (var asOf in new[] { history.AsOf, middle })
        {
            var analysis = Analyzer.Analyze(history.Events, asOf, Currency.Usd);
            var customers = analysis.Customers;
            var known = history.Events.Where(e => e.EffectiveDate <= asOf).GroupBy(e => e.Customer).ToList();
            var last = analysis.Periods[^1];
            if (customers.AsOf != asOf
                || customers.Count != known.Count
                || customers.ActiveCount != last.Customers.Ending
                || customers.Mrr != last.Mrr.Ending
                || customers.Active.Sum(c => c.Mrr.Amount) != last.Mrr.Ending.Amount)
            {
                return false;
            }

            foreach (var g in known)
            {
                var expected = ReferenceSubscriptionModel.StandingAt(g, asOf);
                if (!customers.TryGet(g.Key, out var s)
                    || s.IsActive != expected.Active
                    || s.Status != (expected.Active ? CustomerStatus.Active : CustomerStatus.Churned)
                    || s.Mrr.Amount != expected.Mrr
                    || s.Plan != expected.Plan
                    || s.SignedUp != ReferenceSubscriptionModel.SignupDate(g)
                    || s.Cancellations != expected.Cancellations
                    || s.Reactivations != expected.Reactivations
                    || s.CancelledOn != expected.CancelledOn
                    || s.ReactivatedOn != expected.ReactivatedOn
                    || s.LastChurnReason?.Code != expected.Reason
                    || s.TenureMonths != Period.Between(s.SignedUp, s.IsActive ? asOf : s.CancelledOn!.Value, PeriodUnits.Months).Months)
                {
                    return false;
                }
            }

            if (customers.TryGet(new CustomerId("not-a-customer"), out _) || customers.IsActive(new CustomerId("not-a-customer")))
            {
                return false;
            }
        }

        return true;
    }

    [Property(Arbitrary = [typeof(DomainArbitraries)], MaxTest = 60)]
    public bool MrrByPlan_AddsUpToTheEndingMrr_AndMatchesReplayedPlans(SubscriptionHistory history)
    {
        var analysis = Analyzer.Analyze(history.Events, history.AsOf, Currency.Usd);
        var byCustomer = history.Events.GroupBy(e => e.Customer).ToList();
        foreach (var period in analysis.Periods)
        {
            var expected = byCustomer
                .Select(g => ReferenceSubscriptionModel.StandingAt(g, period.End))
                .Where(x => x.Active && x.Mrr != 0m)
                .GroupBy(x => x.Plan!)
                .ToDictionary(g => g.Key, g => g.Sum(x => x.Mrr));
            var actual = period.MrrByPlan.Where(kv => kv.Value.Amount != 0m).ToDictionary(kv => kv.Key, kv => kv.Value.Amount);
            if (period.MrrByPlan.Values.Sum(m => m.Amount) != period.Mrr.Ending.Amount
                || expected.Where(kv => kv.Value != 0m).Count() != actual.Count
                || expected.Where(kv => kv.Value != 0m).Any(kv => !actual.TryGetValue(kv.Key, out var amount) || amount != kv.Value))
            {
                return false;
            }
        }

        return true;
    }

    // Retention between two bases a month apart is the month's NRR and GRR from the bridge.
    [Property(Arbitrary = [typeof(DomainArbitraries)], MaxTest = 40)]
    public bool RevenueRetentionSince_OneMonthBack_IsTheMonthsRetention(SubscriptionHistory history)
    {
        var analysis = Analyzer.Analyze(history.Events, history.AsOf, Currency.Usd);
        for (var p = 1; p < analysis.Periods.Length; p++)
        {
            var before = Analyzer.Analyze(history.Events, analysis.Periods[p - 1].End, Currency.Usd).Customers;
            var after = Analyzer.Analyze(history.Events, analysis.Periods[p].End, Currency.Usd).Customers;
            var expected = analysis.Periods[p].RevenueRetention;
            var actual = after.RevenueRetentionSince(before);
            if (expected is null ? actual is not null : actual is null || actual.Nrr != expected.Nrr || actual.Grr != expected.Grr)
            {
                return false;
            }
        }

        return true;
    }

    private static YearMonth YearMonthOf(LocalDate date) => new(date.Year, date.Month);
}
