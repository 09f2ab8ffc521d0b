using System;
using System.Linq;

namespace RetentionKit.Segmentation.Tests;

public class DistributionTests
{
    [Fact]
    public void Of_CountsSharesAndFlagsAgainstG2()
    {
        // 2 high (20 %), 3 medium (30 %), 5 low (50 %); revenue 800 / 150 / 50 of 1,000.
        ValueSegment[] segments = [.. Enumerable.Repeat(ValueSegment.High, 2), .. Enumerable.Repeat(ValueSegment.Medium, 3), .. Enumerable.Repeat(ValueSegment.Low, 5)];
        decimal[] revenue = [400m, 400m, 50m, 50m, 50m, 10m, 10m, 10m, 10m, 10m];

        var distribution = ValueDistribution.Of(segments, revenue, Currency.Usd);

        Assert.Equal(10, distribution.Customers);
        Assert.Equal(Money.Usd(1_000m), distribution.Revenue);
        Assert.Equal([ValueSegment.High, ValueSegment.Medium, ValueSegment.Low], distribution.Segments.Select(s => s.Segment));
        var high = distribution.Segments[0];
        Assert.Equal((2, 0.2, Money.Usd(800m), 0.8), (high.Customers, high.CustomerShare, high.Revenue, high.RevenueShare));
        Assert.False(high.CustomerShareAtypical); // 20 % is inside 10–20 %, ends included
        Assert.True(high.RevenueShareAtypical); // 80 % is above 50–70 %
        var medium = distribution.Segments[1];
        Assert.Equal((3, 0.3, 0.15), (medium.Customers, medium.CustomerShare, medium.RevenueShare));
        Assert.False(medium.CustomerShareAtypical);
        Assert.True(medium.RevenueShareAtypical); // 15 % is below 25–35 %
        var low = distribution.Segments[2];
        Assert.Equal((5, 0.5, 0.05), (low.Customers, low.CustomerShare, low.RevenueShare));
        Assert.False(low.CustomerShareAtypical);
        Assert.True(low.RevenueShareAtypical);
    }

    [Theory]
    [InlineData(ValueSegment.High, 0.10, 0.20, 0.50, 0.70)]
    [InlineData(ValueSegment.Medium, 0.30, 0.40, 0.25, 0.35)]
    [InlineData(ValueSegment.Low, 0.40, 0.60, 0.10, 0.20)]
    public void TypicalShares_AreThoseOfG2(ValueSegment segment, double customersFrom, double customersTo, double revenueFrom, double revenueTo)
    {
        Assert.Equal(new TypicalRange(customersFrom, customersTo), ValueDistribution.TypicalCustomerShare(segment));
        Assert.Equal(new TypicalRange(revenueFrom, revenueTo), ValueDistribution.TypicalRevenueShare(segment));
    }

    [Fact]
    public void Of_NoRevenue_LeavesRevenueSharesUndefinedAndUnflagged()
    {
        var distribution = ValueDistribution.Of([ValueSegment.Low, ValueSegment.High], [0m, 0m], Currency.Usd);

        Assert.All(distribution.Segments, s => Assert.True(double.IsNaN(s.RevenueShare)));
        Assert.All(distribution.Segments, s => Assert.False(s.RevenueShareAtypical));
        Assert.True(distribution.Segments[1].CustomerShareAtypical); // no medium customers: 0 % is below 30 %
    }

    [Fact]
    public void Of_BadInput_ThrowsNamingTheArgument()
    {
        Assert.Throws<ArgumentException>("segments", () => ValueDistribution.Of([], [], Currency.Usd));
        Assert.Throws<ArgumentException>("revenue", () => ValueDistribution.Of([ValueSegment.Low], [1m, 2m], Currency.Usd));
        var negative = Assert.Throws<ArgumentException>("revenue", () => ValueDistribution.Of([ValueSegment.Low, ValueSegment.Low], [1m, -2m], Currency.Usd));
        Assert.Contains("revenue[1] is -2", negative.Message, StringComparison.Ordinal);
        var undefined = Assert.Throws<ArgumentException>("segments", () => ValueDistribution.Of([(ValueSegment)3], [1m], Currency.Usd));
        Assert.Contains("segments[0] is 3", undefined.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("segments", () => ValueDistribution.Of([(ValueSegment)(-1)], [1m], Currency.Usd));
        Assert.Throws<ArgumentOutOfRangeException>("segment", () => ValueDistribution.TypicalCustomerShare((ValueSegment)(-1)));
        Assert.Throws<ArgumentOutOfRangeException>("segment", () => ValueDistribution.TypicalRevenueShare((ValueSegment)(-1)));
    }
}
