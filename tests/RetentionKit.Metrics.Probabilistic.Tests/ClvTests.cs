using System;
using System.Linq;

namespace RetentionKit.Metrics.Probabilistic.Tests;

/// <summary>CLV by discounted cash flow from BG/NBD and Gamma-Gamma: the sums it must keep.</summary>
public class ClvTests
{
    private static readonly BgNbdModel Purchases = new(0.243, 4.414, 0.793, 2.426);
    private static readonly GammaGammaModel Spend = new(6.25, 3.74, 15.44);
    private static readonly PurchaseHistory Customer1 = new(2, 30.43, 38.86);

    [Fact]
    public void Undiscounted_IsExpectedPurchasesTimesExpectedValueTimesMargin()
    {
        var clv = ProbabilisticClv.Value(Purchases, Spend, Customer1, 22.35, 12, 0, 0.2);

        var expected = Purchases.ConditionalExpectedPurchases(12 * 4.345, Customer1) * Spend.ConditionalExpectedValue(new SpendHistory(2, 22.35)) * 0.2;
        Assert.Equal(expected, clv, 9);
    }

    [Fact]
    public void BatchValues_EqualTheOneByOneValues()
    {
        // 40,000 customers: several ranges over the cores, pairs (x, T) shared across ranges.
        var customers = BgNbdSimulator.Simulate(Purchases, 40_000, 39, 12, seed: 9);
        var means = GammaGammaSimulator.Simulate(Spend, customers, seed: 10);
        var values = new double[customers.Length];

        ProbabilisticClv.Values(Purchases, Spend, customers, means, 12, 0.01, 0.3, values);

        for (var i = 0; i < customers.Length; i++)
        {
            Assert.Equal(ProbabilisticClv.Value(Purchases, Spend, customers[i], means[i], 12, 0.01, 0.3), values[i], 9);
        }
    }

    [Fact]
    public void ABatchWithABadCustomer_IsRefusedNamingTheCustomer_BeforeAnyValueIsWritten()
    {
        var customers = BgNbdSimulator.Simulate(Purchases, 30_000, 39, 12, seed: 9);
        var means = GammaGammaSimulator.Simulate(Spend, customers, seed: 10);
        var values = new double[customers.Length];
        var repeat = Array.FindIndex(customers, c => c.Frequency > 0 && c.T > 30);

        var badHistory = (PurchaseHistory[])customers.Clone();
        badHistory[20_000] = new PurchaseHistory(2, 40, 39);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ProbabilisticClv.Values(Purchases, Spend, badHistory, means, 12, 0.01, 0.3, values));
        Assert.Equal("histories", e.ParamName);
        Assert.Contains("Customer 20000", e.Message, StringComparison.Ordinal);

        var badMean = (double[])means.Clone();
        badMean[repeat] = 0;
        e = Assert.Throws<ArgumentOutOfRangeException>(() => ProbabilisticClv.Values(Purchases, Spend, customers, badMean, 12, 0.01, 0.3, values));
        Assert.Equal("meanValues", e.ParamName);
        Assert.Contains($"Customer {repeat}", e.Message, StringComparison.Ordinal);

        var (expected, alive) = (new double[customers.Length], new double[customers.Length]);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Purchases.Predict(39, badHistory, expected, alive));
        Assert.Equal("customers", e.ParamName);
        Assert.All(values.Concat(expected).Concat(alive), v => Assert.Equal(0, v));
    }

    [Fact]
    public void Clv_GrowsWithTheHorizon_FallsWithTheDiscount_AndScalesWithTheMargin()
    {
        var horizons = Enumerable.Range(1, 24).Select(m => ProbabilisticClv.Value(Purchases, Spend, Customer1, 22.35, m, 0.01, 1)).ToList();

        Assert.True(horizons.Zip(horizons.Skip(1)).All(p => p.Second > p.First));
        Assert.True(ProbabilisticClv.Value(Purchases, Spend, Customer1, 22.35, 12, 0.05, 1) < horizons[11]);
        Assert.Equal(horizons[11] / 2, ProbabilisticClv.Value(Purchases, Spend, Customer1, 22.35, 12, 0.01, 0.5), 9);
        Assert.Equal(0, ProbabilisticClv.Value(Purchases, Spend, Customer1, 22.35, 12, 0.01, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbabilisticClv.Value(Purchases, Spend, Customer1, 22.35, 0, 0.01, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbabilisticClv.Value(Purchases, Spend, Customer1, 22.35, 12, 0.01, 1.5));
    }
}
