using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using NodaTime;
using RetentionKit.Metrics;
using RetentionKit.Metrics.Subscriptions;
using RetentionKit.Scoring;
using RetentionKit.Segmentation;

namespace RetentionKit.Cli.Pipeline;

/// <summary>
/// The segmentation stage: describes every customer active at a date as <see cref="CustomerFacts"/>, runs every
/// registered segmentation on them today and <see cref="MigrationMonths"/> months earlier, and compares the two.
/// </summary>
/// <remarks>
/// What the tool's data gives each fact: lifetime value = current MRR × margin ÷ monthly churn (the pipeline's CLV);
/// revenue = current MRR; usage and engagement = the retention score's usage and engagement components on the latest
/// month of activity; industry from the customer file; RFM recency = days since the end of the latest month with a
/// login (since sign-up when there is none), frequency = month ends at which the customer was paying, monetary = the
/// MRR paid at those month ends. The same monthly churn rate values both dates.
/// </remarks>
internal sealed class SegmentationStage(SegmentationCatalog catalog, ScoringEngine engine)
{
    /// <summary>How far back the migration looks.</summary>
    public const int MigrationMonths = 6;

    private static readonly ComponentKey Usage = new("Usage");
    private static readonly ComponentKey Engagement = new("Engagement");

    public SegmentationSummary Run(PipelineContext context, Rate? monthlyChurn, Rate margin)
    {
        var asOf = context.AsOf;
        if (monthlyChurn is not { } churn || churn.Fraction <= 0d)
        {
            return SegmentationSummary.Empty(asOf, "no monthly churn rate to turn MRR into lifetime value");
        }

        var from = asOf.PlusMonths(-MigrationMonths);
        var (startFacts, endFacts) = Facts(context, from, churn, margin);
        if (endFacts.Length == 0)
        {
            return SegmentationSummary.Empty(asOf, "no customer is paying at the as-of date");
        }

        var today = catalog.RunAll(endFacts);
        var value = today.First(a => a.Segmentation == ValueSegmentation.SegmentationName);
        var distribution = ValueDistribution.Of(
            [.. value.SegmentOf.Select(s => (ValueSegment)s)], [.. endFacts.Select(f => f.Revenue.Amount)], context.Currency);
        SegmentMigration? migration = null;
        if (startFacts.Length > 0)
        {
            var before = SegmentAssignment.Run(catalog[ValueSegmentation.SegmentationName], startFacts);
            migration = SegmentMigration.Between(from, before, asOf, value);
        }

        return new SegmentationSummary(
            from,
            asOf,
            endFacts.Length,
            distribution,
            [.. today.Where(a => a.Segmentation != ValueSegmentation.SegmentationName)
                .Select(a => new SegmentMix(a.Segmentation, [.. a.Segments.Select((s, i) => new SegmentCount(s, a.Counts[i]))]))],
            migration,
            migration?.ObjectiveReached(ValueSegmentation.ObjectiveTargets) ?? [],
            null)
        {
            ValueSegmentOf = endFacts.Select((f, i) => (f.Customer, Segment: (ValueSegment)value.SegmentOf[i])).ToFrozenDictionary(x => x.Customer, x => x.Segment),
        };
    }

    private (CustomerFacts[] Start, CustomerFacts[] End) Facts(PipelineContext context, LocalDate from, Rate churn, Rate margin)
    {
        var (data, to, currency) = (context.Data, context.AsOf, context.Currency);
        var events = context.EventsByDate.TakeWhile(e => e.EffectiveDate <= to).ToArray();
        var customers = data.Customers.ToDictionary(c => c.Id);
        var activity = context.ActivityByCustomer;
        if (events.Length == 0)
        {
            return ([], []);
        }

        // Every customer the events name gets a slot; the sweep then works on arrays, not dictionaries.
        var slot = new Dictionary<CustomerId, int>();
        foreach (var e in events)
        {
            slot.TryAdd(e.Customer, slot.Count);
        }

        var mrr = new decimal[slot.Count];
        var paying = new bool[slot.Count];
        var paidMonths = new int[slot.Count];
        var paid = new decimal[slot.Count];

        // Who pays what at the two dates comes from the customer base; the sweep over the month ends in order (with the
        // two dates in between) counts each customer's paying month ends and what they paid then, for RFM.
        var first = new YearMonth(events[0].EffectiveDate.Year, events[0].EffectiveDate.Month);
        var dates = new SortedSet<LocalDate> { from, to };
        for (var month = first; month.LastDay() <= to; month = month.PlusMonths(1))
        {
            dates.Add(month.LastDay());
        }

        CustomerFacts[] start = [], end = [];
        var next = 0;
        foreach (var date in dates)
        {
            for (; next < events.Length && events[next].EffectiveDate <= date; next++)
            {
                var i = slot[events[next].Customer];
                (paying[i], mrr[i]) = events[next] switch
                {
                    SubscriptionChange c => (true, c.Terms.MonthlyNetAmount.Amount),
                    Reactivation r => (true, r.Terms.MonthlyNetAmount.Amount),
                    _ => (false, 0m),
                };
            }

            if (date == date.With(DateAdjusters.EndOfMonth))
            {
                for (var i = 0; i < paying.Length; i++)
                {
                    if (paying[i])
                    {
                        paidMonths[i]++;
                        paid[i] += mrr[i];
                    }
                }
            }

            if (date == from)
            {
                start = Snapshot(context.CustomersAt(date), date);
            }

            if (date == to)
            {
                end = Snapshot(context.Customers, date);
            }
        }

        return (start, end);

        // The usage and engagement components of each paying customer's latest month, read off one batch of snapshots
        // (an explained score per customer would build every signal's explanation only to keep two numbers).
        CustomerFacts[] Snapshot(CustomerBase standing, LocalDate date)
        {
            var paying = standing.Active.Where(c => c.Mrr.Amount > 0m).OrderBy(c => c.Customer).ToArray();
            var batch = engine.CreateBatch(Math.Max(1, paying.Length));
            var measured = new bool[paying.Length];
            for (var i = 0; i < paying.Length; i++)
            {
                var latest = (activity.GetValueOrDefault(paying[i].Customer) ?? []).LastOrDefault(a => a.Month.FirstDay() <= date);
                if (latest is not null)
                {
                    batch.Write(i, ScoringStage.Snapshot(latest, Min(latest.Month.LastDay(), date), null));
                    measured[i] = true;
                }
            }

            var usage = ComponentOf(Usage);
            var engagement = ComponentOf(Engagement);
            var facts = new CustomerFacts[paying.Length];
            for (var i = 0; i < paying.Length; i++)
            {
                facts[i] = Describe(paying[i].Customer, paying[i].Mrr.Amount, date, measured[i] ? Read(usage, i) : double.NaN, measured[i] ? Read(engagement, i) : double.NaN);
            }

            return facts;

            double Read(IRetentionScoreComponent? component, int row) =>
                component?.Read(batch.Row(row)) is { IsMissing: false } reading ? reading.Value : double.NaN;
        }

        IRetentionScoreComponent? ComponentOf(ComponentKey key) => engine.Components.FirstOrDefault(c => c.Key == key);

        CustomerFacts Describe(CustomerId id, decimal monthly, LocalDate date, double usage, double engagement)
        {
            var revenue = new Money(monthly, currency);
            var rows = activity.GetValueOrDefault(id) ?? [];
            var lastLogin = rows.LastOrDefault(a => a.Logins > 0 && a.Month.FirstDay() <= date);
            var since = lastLogin is null ? customers.GetValueOrDefault(id)?.SignupDate ?? date : Min(lastLogin.Month.LastDay(), date);
            return new CustomerFacts(id)
            {
                LifetimeValue = CustomerLifetimeValue.Simple(revenue, margin, churn),
                Revenue = revenue,
                Usage = usage,
                Engagement = engagement,
                Industry = customers.GetValueOrDefault(id)?.Industry,
                DaysSinceLastPurchase = Math.Max(0, Period.DaysBetween(since, date)),
                Purchases = slot.TryGetValue(id, out var i) ? paidMonths[i] : 0,
                Spend = slot.TryGetValue(id, out var j) ? paid[j] : 0m,
            };
        }
    }

    private static LocalDate Min(LocalDate a, LocalDate b) => a <= b ? a : b;
}

internal sealed record SegmentCount(string Segment, int Customers);

internal sealed record SegmentMix(string Segmentation, ImmutableArray<SegmentCount> Segments);

/// <summary>What the report and the JSON show of segmentation.</summary>
internal sealed record SegmentationSummary(
    LocalDate From,
    LocalDate AsOf,
    int Customers,
    ValueDistribution? Distribution,
    ImmutableArray<SegmentMix> Mixes,
    SegmentMigration? Migration,
    ImmutableArray<double> ObjectiveReached,
    string? Note)
{
    public static SegmentationSummary Empty(LocalDate asOf, string note) => new(asOf, asOf, 0, null, [], null, [], note);

    /// <summary>Gets each paying customer's value segment today.</summary>
    public FrozenDictionary<CustomerId, ValueSegment> ValueSegmentOf { get; init; } = FrozenDictionary<CustomerId, ValueSegment>.Empty;
}
