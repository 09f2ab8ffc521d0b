using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RetentionKit.Core.Tests;

public class BillingIntervalTests
{
    [Fact]
    public void ToMonthly_DividesByMonthsWithoutRounding()
    {
        Assert.Equal(Money.Usd(100m), BillingInterval.Annual.ToMonthly(Money.Usd(1200m)));
        Assert.Equal(Money.Usd(50m), BillingInterval.SemiAnnual.ToMonthly(Money.Usd(300m)));
        Assert.Equal(100m / 3m, BillingInterval.Quarterly.ToMonthly(Money.Usd(100m)).Amount);
        Assert.Equal(Money.Usd(9m), BillingInterval.Monthly.ToMonthly(Money.Usd(9m)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(121)]
    public void FromMonths_OutOfRange_Throws(int months) =>
        Assert.Throws<ArgumentOutOfRangeException>("months", () => BillingInterval.FromMonths(months));

    [Fact]
    public void Default_IsMonthly()
    {
        Assert.Equal(1, default(BillingInterval).Months);
        Assert.Equal(BillingInterval.Monthly, BillingInterval.FromMonths(1));
        Assert.Equal(BillingInterval.Annual, BillingInterval.FromMonths(12));
        Assert.True(BillingInterval.Annual != BillingInterval.Quarterly);
        Assert.Equal("annual", BillingInterval.Annual.ToString());
        Assert.Equal("every 2 months", BillingInterval.FromMonths(2).ToString());
        Assert.Equal("quarterly", BillingInterval.Quarterly.ToString());
        Assert.Equal("semiannual", BillingInterval.SemiAnnual.ToString());
        Assert.Equal("monthly", BillingInterval.Monthly.ToString());
    }

    [Property]
    public Property FromMonthly_ThenToMonthly_RoundTrips() =>
        Prop.ForAll(
            Gen.Choose(1, 120).ToArbitrary(),
            Gen.Choose(0, 10_000_000).ToArbitrary(),
            (months, cents) =>
            {
                var interval = BillingInterval.FromMonths(months);
                var monthly = Money.Usd(cents / 100m);
                return interval.ToMonthly(interval.FromMonthly(monthly)) == monthly;
            });
}

public class CustomerIdTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_Blank_Throws(string value) => Assert.Throws<ArgumentException>("value", () => new CustomerId(value));

    [Fact]
    public void Constructor_Null_Throws() => Assert.Throws<ArgumentNullException>("value", () => new CustomerId(null!));

    [Fact]
    public void Equality_IsOrdinal()
    {
        Assert.NotEqual(new CustomerId("a"), new CustomerId("A"));
        Assert.True(new CustomerId("a") == new CustomerId("a"));
        Assert.True(new CustomerId("a") < new CustomerId("b"));
        Assert.True(default(CustomerId).IsDefault);
        Assert.Equal(string.Empty, default(CustomerId).Value);
        Assert.Equal("c-1", new CustomerId("c-1").ToString());
    }
}
