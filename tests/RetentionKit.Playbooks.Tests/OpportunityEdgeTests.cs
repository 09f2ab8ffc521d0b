using System;
using System.Linq;
using NodaTime;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests;

/// <summary>Each moment of B8–B10 at its edge, the ranking's ties, and the price comparisons at equality (issue 21, from Stryker's survivors).</summary>
public class OpportunityEdgeTests
{
    private static readonly LocalDate Today = new(2026, 3, 2); // March: not the season

    private static CustomerState Paying(int tenureDays = 200) =>
        Since(Today.PlusDays(-tenureDays));

    private static CustomerState Since(LocalDate since) =>
        new CustomerState(Ana, Madrid, since) with { MonthlyRevenue = Money.Usd(1_000m), Score = Scores.WithRisk(Scoring.RiskLevel.Low, 0.1, Scoring.RetentionBand.High) };

    private static OpportunityMoment[] Moments(CustomerState customer, LocalDate? today = null) =>
        [.. Opportunities.Find(customer, today ?? Today).Select(o => o.Moment).Order()];

    [Fact]
    public void EachMoment_BeginsExactlyAtItsEdge()
    {
        Assert.Empty(Moments(Paying()));
        Assert.Equal([OpportunityMoment.AfterPositiveRoi], Moments(Paying() with { Roi = 0.01 })); // any positive return (issue 24)
        Assert.Empty(Moments(Paying() with { Roi = 0.0 }));
        Assert.Empty(Moments(Paying() with { Roi = -0.2 }));
        Assert.Equal([OpportunityMoment.AtLimit], Moments(Paying() with { LimitUsage = 0.8 }));
        Assert.Empty(Moments(Paying() with { LimitUsage = 0.79 }));
        Assert.Equal([OpportunityMoment.AfterSuccess], Moments(Paying() with { Moments = [new CustomerMoment(CustomerMomentKind.FirstSuccess, Today.PlusDays(-7))] }));
        Assert.Equal([OpportunityMoment.AfterSuccess], Moments(Paying() with { Moments = [new CustomerMoment(CustomerMomentKind.KpiImproved, Today)] }));
        Assert.Empty(Moments(Paying() with { Moments = [new CustomerMoment(CustomerMomentKind.FirstSuccess, Today.PlusDays(-8))] }));
        Assert.Empty(Moments(Paying() with { Moments = [new CustomerMoment(CustomerMomentKind.FirstSuccess, Today.PlusDays(1))] }));
        Assert.Equal([OpportunityMoment.Anniversary], Moments(Paying() with { Moments = [new CustomerMoment(CustomerMomentKind.Anniversary, Today)] }));
        Assert.Contains(OpportunityMoment.Anniversary, Moments(Paying(365)));
        Assert.Contains(OpportunityMoment.Anniversary, Moments(Since(new LocalDate(2024, 3, 9)))); // 7 days off the date
        Assert.DoesNotContain(OpportunityMoment.Anniversary, Moments(Since(new LocalDate(2024, 3, 10)))); // 8 days off
        Assert.DoesNotContain(OpportunityMoment.Anniversary, Moments(Since(new LocalDate(2024, 4, 2)))); // another month
        Assert.DoesNotContain(OpportunityMoment.Anniversary, Moments(Paying(364)));
        Assert.Equal([OpportunityMoment.AfterThreeMonths], Moments(Paying(90)));
        Assert.Equal([OpportunityMoment.AfterThreeMonths], Moments(Paying(119)));
        Assert.Empty(Moments(Paying(89)));
        Assert.Empty(Moments(Paying(120)));
        Assert.Equal([OpportunityMoment.Complementary], Moments(Paying(200) with { Nps = 61 }));
        Assert.Empty(Moments(Paying(200) with { Nps = 60 }));
        Assert.Empty(Moments(Paying(89) with { Nps = 80 }));
        Assert.Equal([OpportunityMoment.Seasonal], Moments(Paying(), new LocalDate(2026, 10, 1)));
        Assert.Empty(Moments(Paying(), new LocalDate(2026, 9, 30)));
    }

    [Fact]
    public void EveryMomentsThreshold_IsAnOption()
    {
        var strict = new OpportunityOptions { PositiveRoiAbove = 1.0, LimitUsageFrom = 0.9, ComplementaryNpsAbove = 70 };
        static OpportunityMoment[] With(CustomerState c, OpportunityOptions o) => [.. Opportunities.Find(c, Today, o).Select(x => x.Moment)];

        Assert.Empty(With(Paying() with { Roi = 1.0 }, strict));
        Assert.Equal([OpportunityMoment.AfterPositiveRoi], With(Paying() with { Roi = 1.01 }, strict));
        Assert.Empty(With(Paying() with { LimitUsage = 0.89 }, strict));
        Assert.Equal([OpportunityMoment.AtLimit], With(Paying() with { LimitUsage = 0.9 }, strict));
        Assert.Empty(With(Paying(200) with { Nps = 70 }, strict));
        Assert.Equal([OpportunityMoment.Complementary], With(Paying(200) with { Nps = 71 }, strict));
        Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() => Opportunities.Find(Paying(), Today, new OpportunityOptions { LimitUsageFrom = 0 })).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Opportunities.Find(Paying(), Today, new OpportunityOptions { PositiveRoiAbove = double.NaN }));
    }

    [Fact]
    public void UpliftFollowsTheKind_AndTiesRankByExpectedValueThenMoment()
    {
        var options = new OpportunityOptions { UpgradePriceIncrease = 0.5, CrossSellPriceShare = 0.2 };
        var found = Opportunities.Find(Paying(200) with { LimitUsage = 0.9, Roi = 3, Nps = 80 }, new LocalDate(2026, 10, 1), options);

        Assert.Equal(Money.Usd(500m), found.Single(o => o.Moment == OpportunityMoment.AtLimit).MonthlyUplift);
        Assert.Equal(Money.Usd(200m), found.Single(o => o.Moment == OpportunityMoment.Seasonal).MonthlyUplift);
        Assert.Equal(found.OrderByDescending(o => o.Priority).ThenByDescending(o => o.ExpectedValue.Amount).ThenBy(o => o.Moment).Select(o => o.Moment), found.Select(o => o.Moment));
        Assert.Equal(Opportunities.Find(Paying(200) with { LimitUsage = 0.9, Roi = 3, Nps = 80 }, new LocalDate(2026, 10, 1)).Select(o => o.MonthlyUplift), Opportunities.Find(Paying(200) with { LimitUsage = 0.9, Roi = 3, Nps = 80 }, new LocalDate(2026, 10, 1), null).Select(o => o.MonthlyUplift));

        var a = new Opportunity(new CustomerId("b"), OpportunityMoment.AtLimit, OpportunityKind.Upsell, OpportunityPriority.High, Rate.FromFraction(0.5), Money.Usd(1m), Money.Usd(5m));
        var b = a with { Customer = new CustomerId("a") };
        var c = a with { ExpectedValue = Money.Usd(9m), Customer = new CustomerId("z") };
        Assert.Equal(["z", "a", "b"], Opportunities.ByExpectedValue([a, b, c]).Select(o => o.Customer.Value));
    }

    [Fact]
    public void PriceComparisons_AtEquality_AndTheirGuards()
    {
        var even = Opportunities.UpgradeOrAddOn(Money.Usd(100m), Money.Usd(150m), Money.Usd(25m), 2); // 100 + 50 = 150
        Assert.Equal(("upgrade", 0m), (even.Cheaper, even.Saving.Amount));
        var team = Opportunities.SeatsOrTeamPlan(10, Money.Usd(10m), Money.Usd(90m), 10);
        Assert.Equal(("team plan", 10m), (team.Cheaper, team.Saving.Amount));
        var same = Opportunities.SeatsOrTeamPlan(10, Money.Usd(10m), Money.Usd(100m), 10);
        Assert.Equal(("per seat", 0m), (same.Cheaper, same.Saving.Amount));
        var tooMany = Opportunities.SeatsOrTeamPlan(11, Money.Usd(10m), Money.Usd(50m), 10);
        Assert.Equal(("per seat", 0m), (tooMany.Cheaper, tooMany.Saving.Amount));

        Assert.Equal("currentPlan", Assert.Throws<ArgumentOutOfRangeException>(() => Opportunities.UpgradeOrAddOn(Money.Usd(-1m), Money.Usd(1m), Money.Usd(1m), 1)).ParamName);
        Assert.Equal("upgradePlan", Assert.Throws<ArgumentOutOfRangeException>(() => Opportunities.UpgradeOrAddOn(Money.Usd(1m), Money.Usd(-1m), Money.Usd(1m), 1)).ParamName);
        Assert.Equal("addOnPerUnit", Assert.Throws<ArgumentOutOfRangeException>(() => Opportunities.UpgradeOrAddOn(Money.Usd(1m), Money.Usd(1m), Money.Usd(-1m), 1)).ParamName);
        Assert.Equal("teamPlanSeats", Assert.Throws<ArgumentOutOfRangeException>(() => Opportunities.SeatsOrTeamPlan(1, Money.Usd(1m), Money.Usd(1m), 0)).ParamName);
        Assert.Equal("pricePerSeat", Assert.Throws<ArgumentOutOfRangeException>(() => Opportunities.SeatsOrTeamPlan(1, Money.Usd(-1m), Money.Usd(1m), 1)).ParamName);
        Assert.Equal("teamPlan", Assert.Throws<ArgumentOutOfRangeException>(() => Opportunities.SeatsOrTeamPlan(1, Money.Usd(1m), Money.Usd(-1m), 1)).ParamName);
    }
}
