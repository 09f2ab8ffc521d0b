using System;

namespace RetentionKit.Segmentation.Tests;

public class SuccessKpiTests
{
    [Fact]
    public void Templates_AreThoseOfG5()
    {
        Assert.Equal(("marketing", KpiDirection.Increase, 0.50), (SuccessKpiTemplate.Marketing.Function, SuccessKpiTemplate.Marketing.Direction, SuccessKpiTemplate.Marketing.TargetChange));
        Assert.Equal(("sales", KpiDirection.Increase, 0.30), (SuccessKpiTemplate.Sales.Function, SuccessKpiTemplate.Sales.Direction, SuccessKpiTemplate.Sales.TargetChange));
        Assert.Equal(("hr", KpiDirection.Decrease, 0.40), (SuccessKpiTemplate.HumanResources.Function, SuccessKpiTemplate.HumanResources.Direction, SuccessKpiTemplate.HumanResources.TargetChange));
        Assert.Equal(("finance", KpiDirection.Decrease, 0.25), (SuccessKpiTemplate.Finance.Function, SuccessKpiTemplate.Finance.Direction, SuccessKpiTemplate.Finance.TargetChange));
    }

    [Fact]
    public void Track_Increase_TargetAndAttainment()
    {
        var leads = SuccessKpiTemplate.Marketing.Track(200);

        Assert.Equal((200d, 300d, 200d, 0d), (leads.Baseline, leads.Target, leads.Current, leads.Attainment));
        Assert.False(leads.IsAchieved);
        Assert.Equal(0.5, leads.WithCurrent(250).Attainment);
        Assert.True(leads.WithCurrent(300).IsAchieved);
        Assert.Equal(1.5, leads.WithCurrent(350).Attainment);
        Assert.Equal(-0.5, leads.WithCurrent(150).Attainment);
        Assert.Equal(200d, leads.Current); // WithCurrent returns a new value
    }

    [Fact]
    public void Track_Decrease_TargetAndAttainment()
    {
        var hours = SuccessKpiTemplate.HumanResources.Track(50);

        Assert.Equal(30d, hours.Target, 12);
        Assert.Equal(0.5, hours.WithCurrent(40).Attainment, 12);
        Assert.True(hours.WithCurrent(29).IsAchieved);
        Assert.False(hours.WithCurrent(31).IsAchieved);
        Assert.True(hours.WithCurrent(60).Attainment < 0d);
    }

    [Theory]
    [InlineData(0d)]
    [InlineData(-5d)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Track_BaselineNotPositiveAndFinite_Throws(double baseline) =>
        Assert.Throws<ArgumentOutOfRangeException>("baseline", () => SuccessKpiTemplate.Sales.Track(baseline));

    [Fact]
    public void Attainment_Guards()
    {
        Assert.Throws<ArgumentException>("target", () => new KpiAttainment("deals", KpiDirection.Increase, 10, 10, 10));
        Assert.Throws<ArgumentException>("target", () => new KpiAttainment("cost", KpiDirection.Decrease, 10, 11, 10));
        Assert.Throws<ArgumentOutOfRangeException>("current", () => new KpiAttainment("deals", KpiDirection.Increase, 10, 13, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("current", () => SuccessKpiTemplate.Sales.Track(10).WithCurrent(double.NegativeInfinity));
        Assert.ThrowsAny<ArgumentException>(() => new KpiAttainment(" ", KpiDirection.Increase, 10, 13, 10));
    }
}
