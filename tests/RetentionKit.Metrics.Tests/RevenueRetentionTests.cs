using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RetentionKit.Metrics.Tests;

public class RevenueRetentionTests
{
    [Fact]
    public void Compute_DocumentExample_Nrr115Grr85()
    {
        var result = RevenueRetention.Compute(Money.Usd(100_000m), Money.Usd(30_000m), Money.Usd(5_000m), Money.Usd(10_000m));
        Assert.Equal(1.15, result.Nrr.Fraction, 12);
        Assert.Equal(0.85, result.Grr.Fraction, 12);
        Assert.Equal(0.30, result.ExpansionRate.Fraction, 12);
    }

    [Fact]
    public void ExpansionRate_IsExpansionOverStart() =>
        Assert.Equal(0.3, RevenueRetention.ExpansionRate(Money.Usd(30_000m), Money.Usd(100_000m)).Fraction, 12);

    [Theory]
    [InlineData(NrrBenchmark.B2BSaas, 1.00, true)]
    [InlineData(NrrBenchmark.B2BSaas, 0.99, false)]
    [InlineData(NrrBenchmark.B2CSaas, 0.90, true)]
    [InlineData(NrrBenchmark.B2CSaas, 0.89, false)]
    [InlineData(NrrBenchmark.Enterprise, 1.10, true)]
    [InlineData(NrrBenchmark.Enterprise, 1.09, false)]
    public void Meets_UsesDocumentBars(NrrBenchmark market, double nrr, bool expected) =>
        Assert.Equal(expected, RevenueRetention.Meets(Ratio.FromFraction(nrr), market));

    [Fact]
    public void Threshold_UndefinedMarket_Throws() =>
        Assert.Contains("defined NrrBenchmark", Assert.Throws<ArgumentOutOfRangeException>("market", () => RevenueRetention.Threshold((NrrBenchmark)42)).Message, StringComparison.Ordinal);

    [Fact]
    public void Guards_NameArgumentAndRule()
    {
        var usd = Money.Usd(1m);
        Assert.Contains("retention of no revenue is undefined", Assert.Throws<ArgumentOutOfRangeException>("startingRevenue", () => RevenueRetention.Compute(Money.Usd(0m), usd, usd, usd)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>("expansion", () => RevenueRetention.Compute(Money.Usd(10m), Money.Usd(-1m), usd, usd));
        Assert.Throws<ArgumentOutOfRangeException>("contraction", () => RevenueRetention.Compute(Money.Usd(10m), usd, Money.Usd(-1m), usd));
        Assert.Throws<ArgumentOutOfRangeException>("churned", () => RevenueRetention.Compute(Money.Usd(10m), usd, usd, Money.Usd(-1m)));
        var over = Assert.Throws<ArgumentOutOfRangeException>("churned", () => RevenueRetention.Compute(Money.Usd(10m), usd, Money.Usd(6m), Money.Usd(5m)));
        Assert.Contains("must not exceed startingRevenue", over.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RevenueRetention.Compute(Money.Usd(10m), Money.Eur(1m), usd, usd));
        Assert.Throws<ArgumentOutOfRangeException>("startingRevenue", () => RevenueRetention.ExpansionRate(usd, Money.Usd(0m)));
        Assert.Throws<ArgumentOutOfRangeException>("expansion", () => RevenueRetention.ExpansionRate(Money.Usd(-1m), usd));
        Assert.Throws<ArgumentException>(() => RevenueRetention.ExpansionRate(Money.Eur(1m), usd));
    }

    [Property]
    public Property Nrr_EqualsGrrPlusExpansionOverStart_AndGrrAtMostOne() =>
        Prop.ForAll(
            (from start in Gen.Choose(1, 1_000_000)
             from expansion in Gen.Choose(0, 1_000_000)
             from contraction in Gen.Choose(0, start)
             from churn in Gen.Choose(0, start - contraction)
             select (start, expansion, contraction, churn)).ToArbitrary(),
            x =>
            {
                var r = RevenueRetention.Compute(Money.Usd(x.start), Money.Usd(x.expansion), Money.Usd(x.contraction), Money.Usd(x.churn));
                return Math.Abs(r.Nrr.Fraction - (r.Grr.Fraction + ((double)x.expansion / x.start))) < 1e-9
                    && r.Grr <= Rate.One
                    && r.Nrr >= r.Grr.ToRatio();
            });
}
