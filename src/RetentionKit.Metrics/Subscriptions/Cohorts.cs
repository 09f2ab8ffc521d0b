using System.Collections.Immutable;
using NodaTime;

namespace RetentionKit.Metrics.Subscriptions;

/// <summary>One cell of a cohort table: a cohort at one age (SPEC M9).</summary>
/// <param name="Age">Months since the cohort's sign-up month; 0 is the sign-up month itself.</param>
/// <param name="ActiveCustomers">Members of the cohort active at the end of that month.</param>
/// <param name="CustomerRetention">Active members ÷ cohort size.</param>
/// <param name="Mrr">The cohort's MRR at the end of that month.</param>
/// <param name="RevenueRetention">MRR ÷ the cohort's initial MRR (may exceed 100 %); null when the initial MRR is zero.</param>
public sealed record CohortCell(int Age, int ActiveCustomers, Rate CustomerRetention, Money Mrr, Ratio? RevenueRetention);

/// <summary>A sign-up cohort and its retention at each age observed so far.</summary>
/// <param name="Cohort">The month the members first subscribed.</param>
/// <param name="Size">The number of members.</param>
/// <param name="InitialMrr">The sum of each member's MRR when they first subscribed.</param>
/// <param name="Cells">
/// One cell per age from 0 up to the age reached at the as-of date. Ages after the as-of date are absent, not zero:
/// a young cohort is not counted as churned.
/// </param>
public sealed record CohortRow(YearMonth Cohort, int Size, Money InitialMrr, ImmutableArray<CohortCell> Cells);
