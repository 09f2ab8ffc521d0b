using System;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using RetentionKit.Metrics.Probabilistic;

namespace RetentionKit.Benchmarks;

/// <summary>
/// The probabilistic models against their targets (SPEC P and the probabilistic-breadth issue): BG/NBD fit on CDNOW
/// (≤ 10 ms) and on 1,000,000 simulated customers (≤ 1 s), predictions for 1,000,000 (≤ 50 ms), Gamma-Gamma fit and
/// 12-month CLV for 1,000,000 (≤ 500 ms); Pareto/NBD fit on CDNOW (≤ 20 ms) and on the million (≤ 2 s), its predictions
/// for the million (≤ 100 ms); MBG/NBD and BG/BB fits within 2× of the BG/NBD fit; standard errors adding at most 20 %
/// to a fit. The million come from <see cref="BgNbdSimulator"/> and <see cref="GammaGammaSimulator"/> with CDNOW's
/// published parameters (39-week window, day resolution); BG/BB's million are donors drawn from the published
/// donations parameters over six opportunities (discrete histories collapse to at most 22 rows, as the paper's do).
/// </summary>
[MemoryDiagnoser]
public class ProbabilisticBenchmarks
{
    private static readonly BgNbdModel Truth = new(0.243, 4.414, 0.793, 2.426);
    private static readonly GammaGammaModel SpendTruth = new(6.25, 3.74, 15.44);
    private PurchaseHistory[] _cdnow = [];
    private PurchaseHistory[] _million = [];
    private double[] _expected = [];
    private double[] _alive = [];
    private double[] _means = [];
    private SpendHistory[] _repeat = [];
    private double[] _clv = [];
    private DiscretePurchaseHistory[] _donors = [];

    [GlobalSetup]
    public void Setup()
    {
        _cdnow = [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "cdnow_customers_summary.csv")).Skip(1).Select(line =>
        {
            var f = line.Split(',');
            return new PurchaseHistory(double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture));
        })];
        _million = BgNbdSimulator.Simulate(Truth, 1_000_000, window: 39, acquisitionSpan: 12, seed: 1);
        _expected = new double[_million.Length];
        _alive = new double[_million.Length];
        _means = GammaGammaSimulator.Simulate(SpendTruth, _million, seed: 2);
        _repeat = [.. _million.Select((h, i) => new SpendHistory(h.Frequency, _means[i])).Where(c => c.Frequency > 0)];
        _clv = new double[_million.Length];
        _donors = BgBbSimulator.Simulate(new BgBbModel(1.204, 0.750, 0.657, 2.783), 1_000_000, 6, seed: 3);
    }

    /// <summary>BG/NBD maximum-likelihood fit on CDNOW's 2,357 customers.</summary>
    [Benchmark]
    public double FitCdnow() => BgNbdModel.FitTo(_cdnow).R;

    /// <summary>BG/NBD fit on 1,000,000 simulated customers (identical histories collapsed into weights), with its standard errors.</summary>
    [Benchmark]
    public double FitMillion() => BgNbdModel.FitTo(_million).R;

    /// <summary>The same fit without its standard errors: what they add.</summary>
    [Benchmark]
    public double FitMillionWithoutStandardErrors() => BgNbdModel.FitTo(_million, null, 500, 0, uncertainty: false).R;

    /// <summary>Pareto/NBD fit on CDNOW.</summary>
    [Benchmark]
    public double ParetoFitCdnow() => ParetoNbdModel.FitTo(_cdnow).R;

    /// <summary>Pareto/NBD fit on the million.</summary>
    [Benchmark]
    public double ParetoFitMillion() => ParetoNbdModel.FitTo(_million).R;

    /// <summary>Pareto/NBD predictions (the next 39 weeks, P(alive)) for the million.</summary>
    [Benchmark]
    public double ParetoPredictMillion()
    {
        new ParetoNbdModel(0.553, 10.578, 0.606, 11.668).Predict(39, _million, _expected, _alive);
        return _expected[0] + _alive[^1];
    }

    /// <summary>MBG/NBD fit on the million.</summary>
    [Benchmark]
    public double MbgFitMillion() => MbgNbdModel.FitTo(_million).R;

    /// <summary>BG/BB fit on a million donors.</summary>
    [Benchmark]
    public double BgBbFitMillion() => BgBbModel.FitTo(_donors).Alpha;

    /// <summary>Conditional expected purchases in the next 39 weeks and P(alive) for 1,000,000 customers.</summary>
    [Benchmark]
    public double PredictMillion()
    {
        Truth.Predict(39, _million, _expected, _alive);
        return _expected[0] + _alive[^1];
    }

    /// <summary>
    /// Gamma-Gamma fit on the million's repeat customers (about 405,000), then 12-month CLV (1 % a month, 30 % margin)
    /// for all 1,000,000 with the BG/NBD parameters.
    /// </summary>
    [Benchmark]
    public double GammaGammaAndClvMillion()
    {
        var spend = GammaGammaModel.FitTo(_repeat);
        ProbabilisticClv.Values(Truth, spend, _million, _means, months: 12, monthlyDiscountRate: 0.01, margin: 0.3, _clv);
        return _clv[0] + _clv[^1];
    }
}
