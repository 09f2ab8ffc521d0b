using System.Collections.Immutable;
using NodaTime;

namespace RetentionKit.Metrics.Subscriptions;

/// <summary>The result of <see cref="SubscriptionAnalyzer.Analyze"/>: MRR movements, cohorts and retention KPIs (SPEC M8–M10).</summary>
public sealed record SubscriptionAnalysis
{
    internal SubscriptionAnalysis(
        Currency currency,
        LocalDate asOf,
        ImmutableArray<MrrPeriod> periods,
        ImmutableArray<CohortRow> cohorts,
        ImmutableSortedDictionary<string, ChurnTally> churnByReason,
        Rate? annualCustomerRetention,
        Rate? reactivationRate,
        int customerCount,
        CustomerBase customers)
    {
        Currency = currency;
        AsOf = asOf;
        Periods = periods;
        Cohorts = cohorts;
        ChurnByReason = churnByReason;
        AnnualCustomerRetention = annualCustomerRetention;
        ReactivationRate = reactivationRate;
        CustomerCount = customerCount;
        Customers = customers;
    }

    /// <summary>Gets the currency every amount is in.</summary>
    public Currency Currency { get; }

    /// <summary>Gets the as-of date: the last day observed. Events effective later are not part of the analysis.</summary>
    public LocalDate AsOf { get; }

    /// <summary>Gets one entry per month, from the month of the first event to the month of <see cref="AsOf"/>; empty without events.</summary>
    public ImmutableArray<MrrPeriod> Periods { get; }

    /// <summary>Gets one row per sign-up month that has members, oldest first.</summary>
    public ImmutableArray<CohortRow> Cohorts { get; }

    /// <summary>Gets churn over the whole window by reason code.</summary>
    public ImmutableSortedDictionary<string, ChurnTally> ChurnByReason { get; }

    /// <summary>
    /// Gets the share of customers active twelve months before the last snapshot who are active at it; null (undefined)
    /// with fewer than thirteen months of history or no customer active at the earlier date.
    /// </summary>
    public Rate? AnnualCustomerRetention { get; }

    /// <summary>Gets the share of customers who churned in the window and later came back as a reactivation; null when nobody churned.</summary>
    public Rate? ReactivationRate { get; }

    /// <summary>Gets the number of distinct customers in the analysed events.</summary>
    public int CustomerCount { get; }

    /// <summary>
    /// Gets every customer's standing at <see cref="AsOf"/> (status, plan, MRR, sign-up, tenure, churn and
    /// reactivation history), from the same replay as <see cref="Periods"/>: the active customers and their MRR add up
    /// to the last period's ending count and MRR.
    /// </summary>
    public CustomerBase Customers { get; }
}
