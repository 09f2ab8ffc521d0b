using System;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using RetentionKit.Metrics.Probabilistic;

namespace RetentionKit.Benchmarks;

/// <summary>
/// The probabilistic models against their targets (SPEC P): BG/NBD fit on CDNOW (≤ 10 ms) and on 1,000,000 simulated
/// customers (≤ 1 s), predictions for 1,000,000 (≤ 50 ms), Gamma-Gamma fit and 12-month CLV for 1,000,000 (≤ 500 ms).
/// The million come from <see cref="BgNbdSimulator"/> and <see cref="GammaGammaSimulator"/> with CDNOW's published
/// parameters (39-week window, day resolution).
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
    }

    /// <summary>BG/NBD maximum-likelihood fit on CDNOW's 2,357 customers.</summary>
    [Benchmark]
    public double FitCdnow() => BgNbdModel.FitTo(_cdnow).R;

    /// <summary>BG/NBD fit on 1,000,000 simulated customers (identical histories collapsed into weights).</summary>
    [Benchmark]
    public double FitMillion() => BgNbdModel.FitTo(_million).R;

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
