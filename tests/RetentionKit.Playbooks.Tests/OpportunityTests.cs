using System;
using System.Linq;
using RetentionKit.Scoring;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests;

/// <summary>Upsell and cross-sell opportunities (B8–B10): moments, conversion, expected value, comparisons.</summary>
public class OpportunityTests
{
    [Theory]
    [InlineData(OpportunityMoment.AfterPositiveRoi, 40, 50, OpportunityPriority.High, OpportunityKind.Upsell)]
    [InlineData(OpportunityMoment.AtLimit, 50, 60, OpportunityPriority.High, OpportunityKind.Upsell)]
    [InlineData(OpportunityMoment.AfterSuccess, 30, 40, OpportunityPriority.Medium, OpportunityKind.Upsell)]
    [InlineData(OpportunityMoment.Anniversary, 25, 35, OpportunityPriority.Medium, OpportunityKind.Upsell)]
    [InlineData(OpportunityMoment.AfterPositiveFeedback, 20, 30, OpportunityPriority.Low, OpportunityKind.Upsell)]
    [InlineData(OpportunityMoment.DepartmentExpansion, 30, 40, OpportunityPriority.High, OpportunityKind.CrossSell)]
    [InlineData(OpportunityMoment.AfterThreeMonths, 25, 35, OpportunityPriority.Medium, OpportunityKind.CrossSell)]
    [InlineData(OpportunityMoment.Complementary, 20, 30, OpportunityPriority.Medium, OpportunityKind.CrossSell)]
    [InlineData(OpportunityMoment.Seasonal, 15, 25, OpportunityPriority.Low, OpportunityKind.CrossSell)]
    public void EachMoment_HasTheDocumentsConversionAndPriority(OpportunityMoment moment, int low, int high, OpportunityPriority priority, OpportunityKind kind) =>
        Assert.Equal((Rate.FromPercent(low), Rate.FromPercent(high), priority, kind), Opportunities.Of(moment));

    [Fact]
    public void Opportunities_AreRankedByMomentThenByExpectedValue()
    {
        var customer = BuiltInTimelineTests.Healthy() with
        {
            MonthlyRevenue = Money.Usd(1_000m),
            Roi = 2.0,
            Nps = 70,
            Moments = [new CustomerMoment(CustomerMomentKind.PositiveFeedback, Day0.PlusDays(-2))],
            Events = [new CustomerEvent(CustomerEvents.OtherDepartmentsAsked, Day0)],
        };

        var found = Opportunities.Find(customer, Day0);

        // High: ROI (45 % × 600 = upsell) before departments (35 % × 300); medium: complementary; low: feedback.
        Assert.Equal([OpportunityMoment.AfterPositiveRoi, OpportunityMoment.DepartmentExpansion, OpportunityMoment.Complementary, OpportunityMoment.AfterPositiveFeedback], found.Select(o => o.Moment));
        var roi = found[0];
        Assert.Equal(Money.Usd(600m), roi.MonthlyUplift);
        Assert.Equal(0.45, roi.Conversion.Fraction, 12);
        Assert.Equal(Money.Usd(600m * 0.45m * 0.8m * 24m), roi.ExpectedValue);
        Assert.Equal(found.OrderByDescending(o => o.ExpectedValue.Amount).Select(o => o.Moment), Opportunities.ByExpectedValue(found).Select(o => o.Moment));
    }

    [Fact]
    public void ACustomerAtRisk_OrWithoutRevenue_HasNoOpportunity()
    {
        var growing = BuiltInTimelineTests.Healthy() with { MonthlyRevenue = Money.Usd(100m), LimitUsage = 0.95 };

        Assert.NotEmpty(Opportunities.Find(growing, Day0));
        Assert.Empty(Opportunities.Find(growing with { Score = Scores.WithRisk(RiskLevel.High, 0.8, RetentionBand.AtRisk) }, Day0));
        Assert.Empty(Opportunities.Find(growing with { MonthlyRevenue = null }, Day0));
    }

    [Fact]
    public void UpgradeOrAddOn_PicksTheCheaper_WithTheSaving()
    {
        // $100 plan; $160 for the next one; $15 a unit on top of the current plan.
        Assert.Equal(new PriceComparison("upgrade", Money.Usd(160m), Money.Usd(175m), Money.Usd(15m)), Opportunities.UpgradeOrAddOn(Money.Usd(100m), Money.Usd(160m), Money.Usd(15m), 5));
        Assert.Equal(new PriceComparison("add-on", Money.Usd(160m), Money.Usd(130m), Money.Usd(30m)), Opportunities.UpgradeOrAddOn(Money.Usd(100m), Money.Usd(160m), Money.Usd(15m), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Opportunities.UpgradeOrAddOn(Money.Usd(100m), Money.Usd(160m), Money.Usd(15m), -1));
    }

    [Fact]
    public void SeatsOrTeamPlan_PicksTheCheaper_AndNeverATeamPlanTooSmall()
    {
        Assert.Equal(new PriceComparison("team plan", Money.Usd(240m), Money.Usd(199m), Money.Usd(41m)), Opportunities.SeatsOrTeamPlan(8, Money.Usd(30m), Money.Usd(199m), 10));
        Assert.Equal(new PriceComparison("per seat", Money.Usd(150m), Money.Usd(199m), Money.Usd(49m)), Opportunities.SeatsOrTeamPlan(5, Money.Usd(30m), Money.Usd(199m), 10));
        Assert.Equal(new PriceComparison("per seat", Money.Usd(360m), Money.Usd(199m), Money.Usd(0m)), Opportunities.SeatsOrTeamPlan(12, Money.Usd(30m), Money.Usd(199m), 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => Opportunities.SeatsOrTeamPlan(0, Money.Usd(30m), Money.Usd(199m), 10));
    }

    [Fact]
    public void ExpectedValue_IsConversionTimesUpliftTimesMarginTimesLifetime()
    {
        Assert.Equal(Money.Usd(96m), Opportunities.ExpectedValue(Rate.FromPercent(40), Money.Usd(100m), Rate.FromPercent(80), 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Opportunities.ExpectedValue(Rate.FromPercent(40), Money.Usd(-1m), Rate.FromPercent(80), 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Opportunities.ExpectedValue(Rate.FromPercent(40), Money.Usd(1m), Rate.FromPercent(80), double.NaN));
    }
}
