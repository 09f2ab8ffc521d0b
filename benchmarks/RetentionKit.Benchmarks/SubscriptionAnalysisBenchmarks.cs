using System.Linq;
using BenchmarkDotNet.Attributes;
using NodaTime;
using RetentionKit.Metrics.Subscriptions;

namespace RetentionKit.Benchmarks;

/// <summary>
/// MRR movements and cohort tables over a generated history (issue goal: 1,000,000 events in at most 1 s on one core,
/// memory proportional to customers and months, not to events × months).
/// </summary>
[MemoryDiagnoser]
public class SubscriptionAnalysisBenchmarks
{
    private readonly SubscriptionAnalyzer _analyzer = new(new SubscriptionAnalysisOptions());
    private SubscriptionEvent[] _chronological = [];
    private SubscriptionEvent[] _byCustomer = [];
    private LocalDate _asOf;

    [Params(100_000, 1_000_000)]
    public int Events { get; set; }

    [Params(24)]
    public int Months { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _byCustomer = SubscriptionHistoryGenerator.Generate(Events, Months, seed: 42);
        _chronological = _byCustomer.OrderBy(e => e.EffectiveDate).ToArray();
        _asOf = SubscriptionHistoryGenerator.Start.PlusMonths(Months).PlusDays(-1);
    }

    /// <summary>Events already in date order (the usual export from a billing system): no sort.</summary>
    [Benchmark(Baseline = true)]
    public int Chronological() => _analyzer.Analyze(_chronological, _asOf, Currency.Usd).Periods.Length;

    /// <summary>Events grouped by customer: the analyzer sorts them by date first.</summary>
    [Benchmark]
    public int GroupedByCustomer() => _analyzer.Analyze(_byCustomer, _asOf, Currency.Usd).Periods.Length;

}
