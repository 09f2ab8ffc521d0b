using System;
using System.Collections.Generic;
using System.Linq;
using NodaTime;
using RetentionKit.Cli.Data;
using RetentionKit.Metrics.Subscriptions;
using RetentionKit.Simulation;

namespace RetentionKit.Cli.Pipeline;

/// <summary>
/// What every stage of a run reads: the data, the as-of date, the subscription analysis and its one view of the
/// customer base (who is active, on which plan, at what MRR), the kept state if any.
/// </summary>
/// <param name="Data">The data set.</param>
/// <param name="Subscriptions">The subscription analysis as of the run's date; its <see cref="SubscriptionAnalysis.Customers"/> is the customer base every stage uses.</param>
/// <param name="Analyzer">The analyzer that produced <paramref name="Subscriptions"/>, for the base at an earlier date.</param>
internal sealed record PipelineContext(DataSet Data, SubscriptionAnalysis Subscriptions, SubscriptionAnalyzer Analyzer)
{
    // Grouped once, on first use, for every stage that asks (stages run side by side, so the first caller builds it).
    private readonly Lazy<Dictionary<CustomerId, MonthlyActivity[]>> _activity = new(() => ByCustomer(Data.Activity, a => a.Customer, a => a.Month.OnDayOfMonth(1)));
    private readonly Lazy<Dictionary<CustomerId, FeedbackRecord[]>> _feedback = new(() => ByCustomer(Data.Feedback, f => f.Customer, f => f.Date));
    private readonly Lazy<SubscriptionEvent[]> _eventsByDate = new(() => InDateOrder(Data.Events, e => e.EffectiveDate));

    /// <summary>Gets the run's date.</summary>
    public LocalDate AsOf => Subscriptions.AsOf;

    /// <summary>Gets the currency of every amount.</summary>
    public Currency Currency => Subscriptions.Currency;

    /// <summary>Gets the customer base at <see cref="AsOf"/>.</summary>
    public CustomerBase Customers => Subscriptions.Customers;

    /// <summary>Gets the kept state, if the run keeps one.</summary>
    public ProgrammeState? State { get; init; }

    /// <summary>Gets the date of the kept state's previous run, if any.</summary>
    public LocalDate? LastAsOf { get; init; }

    /// <summary>Gets every customer's activity rows, by month (rows of a month in file order), whatever their date.</summary>
    public IReadOnlyDictionary<CustomerId, MonthlyActivity[]> ActivityByCustomer => _activity.Value;

    /// <summary>Gets every customer's feedback rows, by date (rows of a day in file order), whatever their date.</summary>
    public IReadOnlyDictionary<CustomerId, FeedbackRecord[]> FeedbackByCustomer => _feedback.Value;

    /// <summary>Gets every subscription event in date order (events of a day in file order), whatever their date.</summary>
    public IReadOnlyList<SubscriptionEvent> EventsByDate => _eventsByDate.Value;

    /// <summary>
    /// Rows in date order, rows of a day in their list order: one sort of integer keys (day, position), because
    /// ordering by <see cref="LocalDate"/> through a comparer costs a large base a second per sort.
    /// </summary>
    public static T[] InDateOrder<T>(IReadOnlyList<T> rows, Func<T, LocalDate> date)
    {
        var keys = new long[rows.Count];
        var sorted = new T[rows.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            sorted[i] = rows[i];
            keys[i] = ((long)DayKey(date(sorted[i])) << 32) | (uint)i;
        }

        Array.Sort(keys, sorted);
        return sorted;
    }

    /// <summary>An integer that orders dates as they are ordered (not a day count: months are 32 apart).</summary>
    public static int DayKey(LocalDate date) => (date.Year << 9) | (date.Month << 5) | date.Day;

    /// <summary>The rows dated on or before a date, of rows in date order (the array itself when all are).</summary>
    public static T[]? Through<T>(T[]? rows, Func<T, LocalDate> date, LocalDate last)
    {
        if (rows is null || rows.Length == 0 || date(rows[^1]) <= last)
        {
            return rows;
        }

        var count = 0;
        while (count < rows.Length && date(rows[count]) <= last)
        {
            count++;
        }

        return rows[..count];
    }

    /// <summary>The context of a data set at a date, analysed with the default policies (tests and simple callers).</summary>
    public static PipelineContext For(DataSet data, LocalDate asOf, Currency? currency = null) =>
        Analyze(new SubscriptionAnalyzer(new SubscriptionAnalysisOptions()), data, asOf, currency ?? RetentionKit.Currency.Usd);

    /// <summary>Analyses the data's subscriptions as of a date (churn by industry when the customers have one) into a context.</summary>
    public static PipelineContext Analyze(SubscriptionAnalyzer analyzer, DataSet data, LocalDate asOf, Currency currency)
    {
        var industries = data.Customers.ToDictionary(c => c.Id, c => c.Industry);
        System.Func<CustomerId, string>? segmentOf = industries.Count == 0 ? null : id => industries.GetValueOrDefault(id, "unknown");
        return new(data, analyzer.Analyze(data.Events, asOf, currency, segmentOf), analyzer);
    }

    private static Dictionary<CustomerId, T[]> ByCustomer<T>(IReadOnlyList<T> rows, Func<T, CustomerId> customer, Func<T, LocalDate> date)
    {
        var lists = new Dictionary<CustomerId, List<T>>();
        foreach (var row in rows)
        {
            var id = customer(row);
            if (!lists.TryGetValue(id, out var list))
            {
                lists[id] = list = [];
            }

            list.Add(row);
        }

        var result = new Dictionary<CustomerId, T[]>(lists.Count);
        foreach (var (id, list) in lists)
        {
            var sorted = true;
            for (var i = 1; i < list.Count && sorted; i++)
            {
                sorted = date(list[i - 1]) <= date(list[i]);
            }

            result[id] = sorted ? [.. list] : [.. list.OrderBy(date)]; // OrderBy is stable: a day's rows keep their order
        }

        return result;
    }

    /// <summary>The customer base at another date, from the same analyzer (the run's own base at <see cref="AsOf"/>).</summary>
    public CustomerBase CustomersAt(LocalDate date) =>
        date == AsOf ? Customers : Analyzer.Analyze(Data.Events, date, Currency).Customers;
}
