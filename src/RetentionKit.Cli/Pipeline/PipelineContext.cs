using System.Collections.Generic;
using System.Linq;
using NodaTime;
using RetentionKit.Cli.Data;
using RetentionKit.Metrics.Subscriptions;

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

    /// <summary>The customer base at another date, from the same analyzer (the run's own base at <see cref="AsOf"/>).</summary>
    public CustomerBase CustomersAt(LocalDate date) =>
        date == AsOf ? Customers : Analyzer.Analyze(Data.Events, date, Currency).Customers;
}
