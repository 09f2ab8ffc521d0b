using System;
using BenchmarkDotNet.Attributes;
using RetentionKit.Scoring;

namespace RetentionKit.Benchmarks;

/// <summary>
/// The batch path (S10): all 15 signals, red flags and the retention score for 1,000,000 customers, by the rule of
/// thumb and with a calibrated model, against a plain copy of the same input bytes as the memory-bandwidth yardstick.
/// Goals: at most 50 ns per customer on one core, 0 bytes allocated per customer, and with the model at most 4× the copy.
/// </summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    private readonly ScoringEngine _engine = new(new ScoringOptions());
    private ScoringEngine _calibrated = null!;
    private ScoringBatch _batch = null!;
    private ScoringBatch _calibratedBatch = null!;
    private BatchScore[] _results = [];
    private float[][] _columns = [];
    private float[] _copy = [];

    [Params(1_000_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _batch = _engine.CreateBatch(Customers);
        ScoringInputGenerator.Fill(_batch, seed: 7);
        _results = new BatchScore[Customers];
        _columns = new float[_engine.Measures.Length][];
        for (var c = 0; c < _columns.Length; c++)
        {
            _columns[c] = _batch.Column(_engine.Measures[c].Key).ToArray();
        }

        _copy = new float[Customers * _columns.Length];

        // A calibration with a coefficient on every term (signals, components and their missing flags, red flags),
        // so that the model's pass does all its work; its batch holds the same customers.
        var options = new ScoringOptions();
        options.Calibration.Enabled = true;
        options.Calibration.Intercept = -2;
        var k = 0;
        foreach (var term in _engine.ModelTerms)
        {
            options.Calibration.Coefficients[term] = ((k++ % 7) - 3) * 0.25;
        }

        _calibrated = new ScoringEngine(options);
        _calibratedBatch = _calibrated.CreateBatch(Customers);
        ScoringInputGenerator.Fill(_calibratedBatch, seed: 7);
    }

    /// <summary>Copies every input column once (Span.CopyTo): reading and writing the bytes the scorer reads.</summary>
    [Benchmark(Baseline = true)]
    public int CopyInputs()
    {
        var offset = 0;
        foreach (var column in _columns)
        {
            column.AsSpan().CopyTo(_copy.AsSpan(offset));
            offset += column.Length;
        }

        return offset;
    }

    /// <summary>Scores every customer into a caller-provided buffer (the rule of thumb).</summary>
    [Benchmark]
    public double ScoreBatch()
    {
        _engine.ScoreBatch(_batch, _results);
        return _results[^1].RiskScore;
    }

    /// <summary>The same with a calibrated model giving the probability.</summary>
    [Benchmark]
    public double ScoreBatchCalibrated()
    {
        _calibrated.ScoreBatch(_calibratedBatch, _results);
        return _results[^1].ChurnProbability;
    }
}

/// <summary>The explained per-customer path (S7): goal at most 2 µs per customer (reasons are rendered when read).</summary>
[MemoryDiagnoser]
public class ExplainedScoringBenchmarks
{
    private readonly ScoringEngine _engine = new(new ScoringOptions());
    private CustomerSnapshot _atRisk = null!;
    private CustomerSnapshot _healthy = null!;

    [GlobalSetup]
    public void Setup()
    {
        var day = new NodaTime.LocalDate(2026, 3, 31);
        _healthy = new CustomerSnapshot(new CustomerId("healthy"), day)
        {
            EmailsSent = 10, EmailsOpened = 8, FeatureShare = 0.6, SupportTickets = 1, DaysPaymentLate = 0, Logins = 20,
            BaselineLogins = 20, Nps = 9, CommentSentiment = 0.8, NegativeSocialMentions = 0, SurveySatisfaction = 9,
            NegativeTickets = 0, CompetitorVisits = 0, AlternativeSearches = 0, CompetitorEvaluations = 0,
            CompetitorTrials = 0, ContractReviews = 0, UsageOfLimit = 0.8, RoiMultiple = 3,
        };
        _atRisk = _healthy with { FeatureShare = 0.1, Nps = 3, CompetitorTrials = 1, AlternativeSearches = 2, EmailsOpened = 2, RoiMultiple = null };
    }

    [Benchmark(Baseline = true)]
    public CustomerScore Healthy() => _engine.Score(_healthy);

    [Benchmark]
    public CustomerScore AtRisk() => _engine.Score(_atRisk);

    /// <summary>Scores and then reads every reason: the prose is rendered on first read, and this is its cost.</summary>
    [Benchmark]
    public int AtRiskWithEveryReason()
    {
        var score = _engine.Score(_atRisk);
        var length = 0;
        foreach (var signal in score.Risk.Signals)
        {
            length += signal.Reason.Length;
        }

        foreach (var component in score.Retention.Components)
        {
            length += component.Reason.Length;
        }

        return length;
    }
}
