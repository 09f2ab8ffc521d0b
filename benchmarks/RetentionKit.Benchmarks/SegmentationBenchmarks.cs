using System;
using BenchmarkDotNet.Attributes;
using RetentionKit.Segmentation;

namespace RetentionKit.Benchmarks;

/// <summary>
/// Segmentation of 1,000,000 customers (G1–G7): the value column on its own, each built-in segmentation into a
/// caller's buffer, a full <see cref="SegmentAssignment"/> (which allocates its output), and RFM quintiles. Goals:
/// segmenting in at most 200 ms with allocation proportional to the output only; RFM in at most 500 ms. A copy of the
/// customer records is the memory-bandwidth yardstick.
/// </summary>
[MemoryDiagnoser]
public class SegmentationBenchmarks
{
    private static readonly SegmentationOptions Options = new();
    private readonly ValueSegmenter _segmenter = new(Options);
    private readonly ValueSegmentation _value = new(Options);
    private readonly PersonaSegmentation _persona = new(Options);
    private readonly IndustrySegmentation _industry = new(Options);
    private readonly RfmSegmentation _rfm = new();
    private CustomerFacts[] _customers = [];
    private CustomerFacts[] _copy = [];
    private decimal[] _lifetimeValues = [];
    private int[] _days = [];
    private int[] _purchases = [];
    private decimal[] _spend = [];
    private ValueSegment[] _valueSegments = [];
    private int[] _segments = [];
    private RfmScore[] _scores = [];

    [Params(1_000_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        string?[] industries = ["technology", "marketing", "sales", "retail", null];
        _customers = new CustomerFacts[Customers];
        for (var i = 0; i < Customers; i++)
        {
            // CLV log-uniform from $50 to $100,000; scores uniform; recency, frequency and spend skewed like a SaaS base.
            var clv = Math.Round((decimal)Math.Exp(Math.Log(50) + (random.NextDouble() * Math.Log(2_000))), 2);
            _customers[i] = new CustomerFacts(new CustomerId($"c{i:D7}"))
            {
                LifetimeValue = Money.Usd(clv),
                Revenue = Money.Usd(Math.Round(clv / 12m, 2)),
                Usage = random.NextDouble() * 100,
                Engagement = random.NextDouble() * 100,
                Industry = industries[random.Next(industries.Length)],
                DaysSinceLastPurchase = (int)(random.NextDouble() * random.NextDouble() * 730),
                Purchases = random.Next(1, 37),
                Spend = Math.Round(clv * (decimal)random.NextDouble(), 2),
            };
        }

        _copy = new CustomerFacts[Customers];
        _lifetimeValues = Array.ConvertAll(_customers, c => c.LifetimeValue.Amount);
        _days = Array.ConvertAll(_customers, c => c.DaysSinceLastPurchase);
        _purchases = Array.ConvertAll(_customers, c => c.Purchases);
        _spend = Array.ConvertAll(_customers, c => c.Spend);
        _valueSegments = new ValueSegment[Customers];
        _segments = new int[Customers];
        _scores = new RfmScore[Customers];
    }

    /// <summary>Copies the customer records once (Span.CopyTo): the bytes every segmentation reads.</summary>
    [Benchmark(Baseline = true)]
    public int CopyCustomers()
    {
        _customers.AsSpan().CopyTo(_copy);
        return _copy.Length;
    }

    /// <summary>Value segments of a column of CLVs in one currency.</summary>
    [Benchmark]
    public ValueSegment ValueColumn()
    {
        _segmenter.Classify(_lifetimeValues, Currency.Usd, _valueSegments);
        return _valueSegments[^1];
    }

    /// <summary>The value segmentation over customer records, into a caller's buffer.</summary>
    [Benchmark]
    public int Value()
    {
        _value.Assign(_customers, _segments);
        return _segments[^1];
    }

    /// <summary>The persona segmentation, into a caller's buffer.</summary>
    [Benchmark]
    public int Persona()
    {
        _persona.Assign(_customers, _segments);
        return _segments[^1];
    }

    /// <summary>The industry segmentation (a case-insensitive lookup per customer), into a caller's buffer.</summary>
    [Benchmark]
    public int Industry()
    {
        _industry.Assign(_customers, _segments);
        return _segments[^1];
    }

    /// <summary>A full value assignment: the segmentation plus its output (segment per customer, ids, counts).</summary>
    [Benchmark]
    public int ValueAssignment() => SegmentAssignment.Run(_value, _customers).Counts[2];

    /// <summary>RFM quintile scores from three columns.</summary>
    [Benchmark]
    public byte RfmScores()
    {
        Rfm.Score(_days, _purchases, _spend, _scores);
        return _scores[^1].Monetary;
    }

    /// <summary>The RFM segmentation over customer records, into a caller's buffer.</summary>
    [Benchmark]
    public int RfmSegments()
    {
        _rfm.Assign(_customers, _segments);
        return _segments[^1];
    }
}
