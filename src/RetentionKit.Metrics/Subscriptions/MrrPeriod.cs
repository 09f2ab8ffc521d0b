using System;
using System.Collections.Immutable;
using NodaTime;

namespace RetentionKit.Metrics.Subscriptions;

/// <summary>
/// The MRR bridge of one month: ending MRR = starting + new + expansion + reactivation − contraction − churn,
/// exactly, in <see cref="decimal"/>.
/// </summary>
public sealed record MrrBridge
{
    /// <summary>Initializes a new instance of the <see cref="MrrBridge"/> class.</summary>
    /// <param name="starting">MRR at the start of the month.</param>
    /// <param name="newBusiness">MRR of customers who subscribed for the first time.</param>
    /// <param name="expansion">MRR added by customers active at the start and the end of the month.</param>
    /// <param name="reactivation">MRR of customers who came back after cancelling.</param>
    /// <param name="contraction">MRR lost by customers active at the start and the end of the month (a positive amount).</param>
    /// <param name="churn">MRR lost with customers who left (a positive amount).</param>
    /// <param name="ending">MRR at the end of the month.</param>
    /// <exception cref="ArgumentOutOfRangeException">A movement is negative.</exception>
    /// <exception cref="ArgumentException">The amounts do not reconcile or their currencies differ.</exception>
    public MrrBridge(Money starting, Money newBusiness, Money expansion, Money reactivation, Money contraction, Money churn, Money ending)
    {
        RequireMovement(newBusiness, nameof(newBusiness));
        RequireMovement(expansion, nameof(expansion));
        RequireMovement(reactivation, nameof(reactivation));
        RequireMovement(contraction, nameof(contraction));
        RequireMovement(churn, nameof(churn));
        var computed = starting + newBusiness + expansion + reactivation - contraction - churn;
        if (computed != ending)
        {
            throw new ArgumentException($"ending ({ending}) must equal starting + new + expansion + reactivation − contraction − churn ({computed}).", nameof(ending));
        }

        Starting = starting;
        NewBusiness = newBusiness;
        Expansion = expansion;
        Reactivation = reactivation;
        Contraction = contraction;
        Churn = churn;
        Ending = ending;
    }

    /// <summary>Gets MRR at the start of the month.</summary>
    public Money Starting { get; }

    /// <summary>Gets MRR of customers who subscribed for the first time.</summary>
    public Money NewBusiness { get; }

    /// <summary>Gets MRR added by customers active at the start and the end of the month.</summary>
    public Money Expansion { get; }

    /// <summary>Gets MRR of customers who came back after cancelling.</summary>
    public Money Reactivation { get; }

    /// <summary>Gets MRR lost by downgrades (a positive amount).</summary>
    public Money Contraction { get; }

    /// <summary>Gets MRR lost with customers who left (a positive amount).</summary>
    public Money Churn { get; }

    /// <summary>Gets MRR at the end of the month.</summary>
    public Money Ending { get; }

    /// <summary>Gets net new MRR: ending − starting.</summary>
    public Money NetNew => Ending - Starting;

    private static void RequireMovement(Money value, string paramName)
    {
        if (value.Amount < 0m)
        {
            throw new ArgumentOutOfRangeException(paramName, value.Amount, $"{paramName} is a movement and must not be negative; losses are stated as positive amounts.");
        }
    }
}

/// <summary>Customer counts of one month; ending = starting + new + reactivated − churned.</summary>
/// <param name="Starting">Customers active at the start of the month.</param>
/// <param name="New">Customers who subscribed for the first time.</param>
/// <param name="Reactivated">Customers who came back.</param>
/// <param name="Churned">Customers who left, including any who joined and left within the month (see <see cref="SamePeriodSignupAndCancelPolicy"/>).</param>
/// <param name="ChurnedFromStart">Of <paramref name="Starting"/>, the customers who were not active at the end: the numerator of the churn rate.</param>
/// <param name="Ending">Customers active at the end of the month.</param>
public sealed record CustomerMovements(int Starting, int New, int Reactivated, int Churned, int ChurnedFromStart, int Ending)
{
    /// <summary>Gets the month's customer churn rate, churned from start ÷ starting; null (undefined) when no customer was active at the start.</summary>
    public Rate? ChurnRate => Starting == 0 ? null : Rate.FromCounts(ChurnedFromStart, Starting);

    /// <summary>Gets the month's customer retention rate, 1 − <see cref="ChurnRate"/>; null when undefined.</summary>
    public Rate? RetentionRate => ChurnRate?.Complement;
}

/// <summary>Churn of one segment in one month.</summary>
/// <param name="Starting">Customers of the segment active at the start of the month.</param>
/// <param name="ChurnedFromStart">Of those, the customers who left.</param>
/// <param name="StartingMrr">Their MRR at the start of the month.</param>
/// <param name="ChurnedMrr">The MRR of those who left.</param>
public sealed record SegmentChurn(int Starting, int ChurnedFromStart, Money StartingMrr, Money ChurnedMrr)
{
    /// <summary>Gets the segment's customer churn rate; null when it had no customers at the start.</summary>
    public Rate? ChurnRate => Starting == 0 ? null : Rate.FromCounts(ChurnedFromStart, Starting);
}

/// <summary>One month of MRR movements, customer counts, revenue retention and churn by segment (SPEC M8, M10).</summary>
/// <param name="Month">The calendar month.</param>
/// <param name="End">The date of the closing snapshot: the month's last day, or the as-of date in the current month.</param>
/// <param name="Mrr">The MRR bridge.</param>
/// <param name="Customers">The customer counts.</param>
/// <param name="RevenueRetention">NRR and GRR of the customers active at the start; null when there were none.</param>
/// <param name="ChurnBySegment">Churn per segment, keyed by the label the host's segment function gave; empty without one.</param>
/// <param name="Trend">The change from the previous month (SPEC M10).</param>
public sealed record MrrPeriod(
    YearMonth Month,
    LocalDate End,
    MrrBridge Mrr,
    CustomerMovements Customers,
    RevenueRetentionResult? RevenueRetention,
    ImmutableSortedDictionary<string, SegmentChurn> ChurnBySegment,
    PeriodTrend Trend)
{
    /// <summary>
    /// Gets the ending MRR by plan (each active customer's MRR under the plan of their latest terms); plans without MRR
    /// at the month's end are left out. The amounts add up to <see cref="MrrBridge.Ending"/>.
    /// </summary>
    public ImmutableSortedDictionary<string, Money> MrrByPlan { get; init; } = ImmutableSortedDictionary<string, Money>.Empty;
}

/// <summary>Period-over-period change of a month's retention figures, in percentage points.</summary>
/// <param name="ChurnRateChange">This month's customer churn rate minus last month's, in points; null when either is undefined.</param>
/// <param name="NrrChange">This month's NRR minus last month's, in points; null when either is undefined.</param>
/// <param name="MrrGrowth">Net new MRR ÷ starting MRR; null when the month started with no MRR. May be negative.</param>
public sealed record PeriodTrend(double? ChurnRateChange, double? NrrChange, double? MrrGrowth);

/// <summary>Customers and MRR that left for one reason.</summary>
/// <param name="Customers">The number of churn movements with this reason.</param>
/// <param name="Mrr">The MRR they took with them.</param>
public sealed record ChurnTally(int Customers, Money Mrr);
