using System;
using FsCheck.Xunit;
using RetentionKit.TestUtilities;

namespace RetentionKit.Core.Tests;

public class RateTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-0.0001)]
    [InlineData(1.0001)]
    public void FromFraction_OutsideUnitIntervalOrNotFinite_Throws(double fraction)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>("fraction", () => Rate.FromFraction(fraction));
        Assert.Contains("fraction must", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1)]
    [InlineData(100.5)]
    public void FromPercent_OutsideRangeOrNotFinite_Throws(double percent) =>
        Assert.Throws<ArgumentOutOfRangeException>("percent", () => Rate.FromPercent(percent));

    [Fact]
    public void FromPercent_AndFromFraction_Agree()
    {
        Assert.Equal(Rate.FromFraction(0.05), Rate.FromPercent(5));
        Assert.Equal(5d, Rate.FromFraction(0.05).Percent, 12);
        Assert.Equal(0.95, Rate.FromPercent(5).Complement.Fraction, 12);
        Assert.Equal(Rate.One, Rate.Zero.Complement);
    }

    [Theory]
    [InlineData(-1, 10, "part")]
    [InlineData(1, 0, "whole")]
    [InlineData(11, 10, "part")]
    public void FromCounts_Invalid_Throws(long part, long whole, string param) =>
        Assert.Throws<ArgumentOutOfRangeException>(param, () => Rate.FromCounts(part, whole));

    [Fact]
    public void FromCounts_IsPartOverWhole() => Assert.Equal(0.05, Rate.FromCounts(50, 1000).Fraction);

    [Fact]
    public void ImplicitRatio_KeepsValue()
    {
        Ratio ratio = Rate.FromPercent(40);
        Assert.Equal(0.4, ratio.Fraction);
        Assert.Equal(ratio, Rate.FromPercent(40).ToRatio());
    }

    [Fact]
    public void Comparison_AndFormatting()
    {
        var low = Rate.FromPercent(5);
        var high = Rate.FromPercent(50);
        Assert.True(low < high && high > low && low <= Rate.FromPercent(5) && high >= Rate.FromPercent(50) && low != high);
        Assert.Equal(-1, low.CompareTo(high));
        Assert.Equal("5 %", low.ToString());
        Assert.Equal("45.96 %", Rate.FromFraction(0.459640).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ToString_PercentFormat_PrintsThePercentageOnce()
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var rate = Rate.FromPercent(25);
        Assert.Equal("25.0 %", rate.ToString("P1", invariant));
        Assert.Equal("25.0 %", string.Format(invariant, "{0:P1}", rate));
        Assert.Equal("25.0%", rate.ToString("P1", System.Globalization.CultureInfo.GetCultureInfo("en-US")));
        Assert.Equal("25.0 %", rate.ToString("F1", invariant));
        Assert.Equal("115.00 %", Ratio.FromPercent(115).ToString("P2", invariant));
        Assert.Equal("115 %", Ratio.FromPercent(115).ToString("0", invariant));
    }

    [Property(Arbitrary = [typeof(DomainArbitraries)])]
    public bool PercentFraction_RoundTrip(Rate rate) => Math.Abs(Rate.FromPercent(rate.Percent).Fraction - rate.Fraction) < 1e-15;

    [Property(Arbitrary = [typeof(DomainArbitraries)])]
    public bool Complement_IsInvolution(Rate rate) => Math.Abs(rate.Complement.Complement.Fraction - rate.Fraction) < 1e-15;
}

public class RatioTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-0.01)]
    public void FromFraction_NegativeOrNotFinite_Throws(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>("fraction", () => Ratio.FromFraction(fraction));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1)]
    public void FromPercent_NegativeOrNotFinite_Throws(double percent) =>
        Assert.Throws<ArgumentOutOfRangeException>("percent", () => Ratio.FromPercent(percent));

    [Fact]
    public void MayExceedOne()
    {
        var nrr = Ratio.FromPercent(115);
        Assert.Equal(1.15, nrr.Fraction, 12);
        Assert.Equal("115 %", nrr.ToString());
        Assert.True(nrr > Ratio.One && Ratio.Zero < nrr && nrr >= Ratio.FromPercent(115) && Ratio.One <= nrr);
        Assert.Equal(1, nrr.CompareTo(Ratio.One));
    }
}

public class ScoreTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    [InlineData(100.1)]
    public void Constructor_OutsideRange_Throws(double value) =>
        Assert.Throws<ArgumentOutOfRangeException>("value", () => new Score(value));

    [Fact]
    public void Bounds_AreInclusive()
    {
        Assert.Equal(0d, new Score(Score.MinValue).Value);
        Assert.Equal(100d, new Score(Score.MaxValue).Value);
        Assert.True(new Score(10) < new Score(20) && new Score(20) > new Score(10));
        Assert.Equal("72.5", new Score(72.5).ToString());
    }
}
