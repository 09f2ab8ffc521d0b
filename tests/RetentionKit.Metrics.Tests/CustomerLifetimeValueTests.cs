using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RetentionKit.Metrics.Tests;

public class CustomerLifetimeValueTests
{
    private static readonly Money Arpu = Money.Usd(100m);
    private static readonly Rate Margin = Rate.FromPercent(80);
    private static readonly Rate Churn5 = Rate.FromPercent(5);

    [Fact]
    public void Simple_DocumentExample_Is1600() =>
        Assert.Equal(Money.Usd(1600m), CustomerLifetimeValue.Simple(Arpu, Margin, Churn5));

    [Fact]
    public void WithExpansionAsDocumented_DocumentExample_Is1920() =>
        Assert.Equal(Money.Usd(1920m), CustomerLifetimeValue.WithExpansionAsDocumented(Arpu, Margin, Churn5, Ratio.FromPercent(20)));

    [Fact]
    public void WithCompoundedExpansion_MonthlyGrowthFromAnnualRate()
    {
        // g = 1.2^(1/12) − 1 ≈ 1.5309 %/month; CLV = 80 / (1 − 1.015309 × 0.95) ≈ 2,256.8
        var clv = CustomerLifetimeValue.WithCompoundedExpansion(Arpu, Margin, Churn5, Ratio.FromPercent(20));
        var g = Math.Pow(1.2, 1d / 12d) - 1d;
        Assert.Equal(80d / (1d - ((1d + g) * 0.95)), (double)clv.Amount, 6);
        Assert.InRange(clv.Amount, 2256m, 2258m);
    }

    [Fact]
    public void WithCompoundedExpansion_ZeroExpansion_EqualsSimple() =>
        Assert.Equal(1600d, (double)CustomerLifetimeValue.WithCompoundedExpansion(Arpu, Margin, Churn5, Ratio.Zero).Amount, 9);

    [Fact]
    public void Discounted_NoDiscountNoGrowth_EqualsSimple() =>
        Assert.Equal(1600m, CustomerLifetimeValue.Discounted(Arpu, Margin, Churn5, Rate.Zero).Amount);

    [Fact]
    public void Discounted_FiniteHorizon_SumsGeometricSeries()
    {
        // 3 periods, churn 50 %, discount 0: 80 × (1 + 0.5 + 0.25) = 140
        Assert.Equal(140m, CustomerLifetimeValue.Discounted(Arpu, Margin, Rate.FromPercent(50), Rate.Zero, 0d, 3).Amount);
    }

    [Fact]
    public void Discounted_WithDiscount_LowersValue()
    {
        // q = 0.95 / 1.01; value = 80 / (1 − q)
        var value = CustomerLifetimeValue.Discounted(Arpu, Margin, Churn5, Rate.FromPercent(1));
        Assert.Equal(80d / (1d - (0.95 / 1.01)), (double)value.Amount, 6);
    }

    [Fact]
    public void Discounted_ZeroChurnWithDiscount_IsPerpetuity() =>
        Assert.Equal(80d * 1.01 / 0.01, (double)CustomerLifetimeValue.Discounted(Arpu, Margin, Rate.Zero, Rate.FromPercent(1)).Amount, 6);

    [Fact]
    public void Discounted_NegativeGrowth_Converges() =>
        Assert.Equal(80d / 0.1, (double)CustomerLifetimeValue.Discounted(Arpu, Margin, Rate.Zero, Rate.Zero, -0.1).Amount, 6);

    [Fact]
    public void Simple_ChurnIsOne_IsOnePeriodOfMargin() =>
        Assert.Equal(80m, CustomerLifetimeValue.Simple(Arpu, Margin, Rate.One).Amount);

    [Fact]
    public void Simple_ZeroChurn_ThrowsPointingAtDiscountedForm()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>("churnRate", () => CustomerLifetimeValue.Simple(Arpu, Margin, Rate.Zero));
        Assert.Contains("unbounded", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Discounted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Guards_NameArgumentAndRule()
    {
        Assert.Throws<ArgumentOutOfRangeException>("arpu", () => CustomerLifetimeValue.Simple(Money.Usd(-1m), Margin, Churn5));
        Assert.Throws<ArgumentOutOfRangeException>("churnRate", () => CustomerLifetimeValue.WithExpansionAsDocumented(Arpu, Margin, Rate.Zero, Ratio.One));
        Assert.Throws<ArgumentOutOfRangeException>("arpu", () => CustomerLifetimeValue.Discounted(Money.Usd(-1m), Margin, Churn5, Rate.Zero));
        Assert.Throws<ArgumentOutOfRangeException>("growthRate", () => CustomerLifetimeValue.Discounted(Arpu, Margin, Churn5, Rate.Zero, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("growthRate", () => CustomerLifetimeValue.Discounted(Arpu, Margin, Churn5, Rate.Zero, -1d));
        var growth = Assert.Throws<ArgumentOutOfRangeException>("growthRate", () => CustomerLifetimeValue.Discounted(Arpu, Margin, Churn5, Rate.FromPercent(1), 0.07));
        Assert.Contains("less than churn + discount (0.06", growth.Message, StringComparison.Ordinal);
        Assert.Contains("greater than -1", Assert.Throws<ArgumentOutOfRangeException>(() => CustomerLifetimeValue.Discounted(Arpu, Margin, Churn5, Rate.Zero, -2d)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>("growthRate", () => CustomerLifetimeValue.Discounted(Arpu, Margin, Rate.Zero, Rate.Zero));
        Assert.Throws<ArgumentOutOfRangeException>("horizonPeriods", () => CustomerLifetimeValue.Discounted(Arpu, Margin, Churn5, Rate.Zero, 0d, 0));
        Assert.Throws<ArgumentOutOfRangeException>("growthRate", () => CustomerLifetimeValue.WithCompoundedExpansion(Arpu, Margin, Rate.FromPercent(1), Ratio.FromPercent(20)));
    }

    private static Arbitrary<(decimal Arpu, double Margin, double Churn)> Inputs() =>
        (from arpu in Gen.Choose(0, 100_000)
         from margin in Gen.Choose(0, 100)
         from churn in Gen.Choose(1, 100)
         select (arpu / 10m, margin / 100d, churn / 100d)).ToArbitrary();

    [Property]
    public Property Simple_IsMonotoneInArpuMarginAndChurn() =>
        Prop.ForAll(Inputs(), x =>
        {
            var baseline = CustomerLifetimeValue.Simple(Money.Usd(x.Arpu), Rate.FromFraction(x.Margin), Rate.FromFraction(x.Churn));
            var moreArpu = CustomerLifetimeValue.Simple(Money.Usd(x.Arpu + 1m), Rate.FromFraction(x.Margin), Rate.FromFraction(x.Churn));
            var moreMargin = CustomerLifetimeValue.Simple(Money.Usd(x.Arpu), Rate.FromFraction(Math.Min(1d, x.Margin + 0.01)), Rate.FromFraction(x.Churn));
            var moreChurn = CustomerLifetimeValue.Simple(Money.Usd(x.Arpu), Rate.FromFraction(x.Margin), Rate.FromFraction(Math.Min(1d, x.Churn + 0.01)));
            return moreArpu >= baseline && moreMargin >= baseline && moreChurn <= baseline;
        });

    [Property]
    public Property Discounted_FiniteHorizon_NeverExceedsPerpetualAndGrowsWithHorizon() =>
        Prop.ForAll(Inputs(), Gen.Choose(1, 120).ToArbitrary(), (x, horizon) =>
        {
            var churn = Rate.FromFraction(x.Churn);
            var discount = Rate.FromPercent(1);
            var perpetual = CustomerLifetimeValue.Discounted(Money.Usd(x.Arpu), Rate.FromFraction(x.Margin), churn, discount);
            var finite = CustomerLifetimeValue.Discounted(Money.Usd(x.Arpu), Rate.FromFraction(x.Margin), churn, discount, 0d, horizon);
            var longer = CustomerLifetimeValue.Discounted(Money.Usd(x.Arpu), Rate.FromFraction(x.Margin), churn, discount, 0d, horizon + 1);
            return finite.Amount <= perpetual.Amount * 1.000000001m && longer >= finite;
        });
}
