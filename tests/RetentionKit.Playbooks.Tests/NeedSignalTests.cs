using System;
using System.Collections.Generic;
using System.Linq;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests;

/// <summary>Issue 24: the inputs of the need-based upsell (plan limits as data, tickets about limits) and of department expansion (roles, interest in other products, a growing company).</summary>
public sealed class NeedSignalTests
{
    private static CustomerState Paying() => PlaybookFixture.Customer() with
    {
        MonthlyRevenue = Money.Usd(100m),
        LifetimeValue = Money.Usd(3_000m),
        Score = Scores.WithRisk(RetentionKit.Scoring.RiskLevel.Low, 0.1, RetentionKit.Scoring.RetentionBand.High),
    };

    private static bool Fires(string playbook, CustomerState customer) =>
        BuiltInPlaybooks.All.Single(p => p.Id == playbook).Trigger.Fires(customer, Day0) is not null;

    [Theory]
    [InlineData("basic", 850, 0.85)]
    [InlineData("basic", 1_200, 1.2)]
    [InlineData("pro", 9_000, 0.9)]
    [InlineData("pro", 0, 0.0)]
    public void Usage_is_measured_against_the_plans_limit(string plan, long documents, double share)
    {
        var usage = PlanLimits.DocumentExample.Usage(plan, new Dictionary<string, long> { ["documents"] = documents })!;

        Assert.Equal(share, usage.Share, 12);
        Assert.Equal(("documents", documents, plan == "basic" ? 1_000L : 10_000L), (usage.Measure, usage.Used, usage.Limit));
    }

    [Fact]
    public void The_measure_closest_to_its_limit_counts_and_bad_data_is_named()
    {
        var limits = new PlanLimits(new Dictionary<string, IReadOnlyList<PlanLimit>>
        {
            ["team"] = [new PlanLimit("documents", 1_000), new PlanLimit("seats", 10)],
            ["enterprise"] = [],
        });

        Assert.Equal("seats", limits.Usage("team", new Dictionary<string, long> { ["documents"] = 500, ["seats"] = 9 })!.Measure);
        Assert.Equal(0.5, limits.Usage("team", new Dictionary<string, long> { ["documents"] = 500 })!.Share, 12); // seats missing: 0
        Assert.Null(limits.Usage("enterprise", new Dictionary<string, long> { ["documents"] = 1_000_000 }));
        Assert.Equal("used", Assert.Throws<ArgumentOutOfRangeException>(() => limits.Usage("team", new Dictionary<string, long> { ["seats"] = -1 })).ParamName);
        Assert.StartsWith("The plan 'free' has no limits defined; known plans: enterprise, team.", Assert.Throws<KeyNotFoundException>(() => limits.Of("free")).Message, StringComparison.Ordinal);
        Assert.Equal("plans", Assert.Throws<ArgumentException>(() => new PlanLimits(new Dictionary<string, IReadOnlyList<PlanLimit>> { ["x"] = [new PlanLimit("docs", 0)] })).ParamName);
        Assert.Contains("limits 'docs' twice", Assert.Throws<ArgumentException>(() => new PlanLimits(new Dictionary<string, IReadOnlyList<PlanLimit>> { ["x"] = [new PlanLimit("docs", 1), new PlanLimit("DOCS", 2)] })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_need_based_upsell_fires_on_each_of_the_documents_signals()
    {
        Assert.False(Fires(BuiltInPlaybooks.UpsellNeed, Paying()));
        Assert.True(Fires(BuiltInPlaybooks.UpsellNeed, Paying() with { LimitUsage = PlanLimits.DocumentExample.Usage("basic", new Dictionary<string, long> { ["documents"] = 800 })!.Share }));
        Assert.False(Fires(BuiltInPlaybooks.UpsellNeed, Paying() with { LimitUsage = 0.79 }));
        foreach (var signal in new[] { CustomerEvents.AskedForHigherPlan, CustomerEvents.LimitTicket, CustomerEvents.BlockedByLimit })
        {
            Assert.True(Fires(BuiltInPlaybooks.UpsellNeed, Paying() with { Events = [new CustomerEvent(signal, Day0.PlusDays(-7))] }), signal);
            Assert.False(Fires(BuiltInPlaybooks.UpsellNeed, Paying() with { Events = [new CustomerEvent(signal, Day0.PlusDays(-8))] }), signal);
        }
    }

    [Fact]
    public void Department_expansion_fires_on_each_of_the_documents_signals()
    {
        Assert.False(Fires(BuiltInPlaybooks.CrossSellDepartments, Paying()));
        Assert.True(Fires(BuiltInPlaybooks.CrossSellDepartments, Paying() with { Events = [new CustomerEvent(CustomerEvents.OtherDepartmentsAsked, Day0.PlusDays(-14))] }));
        Assert.False(Fires(BuiltInPlaybooks.CrossSellDepartments, Paying() with { Events = [new CustomerEvent(CustomerEvents.OtherDepartmentsAsked, Day0.PlusDays(-15))] }));
        Assert.True(Fires(BuiltInPlaybooks.CrossSellDepartments, Paying() with { Events = [new CustomerEvent(CustomerEvents.InterestInOtherProducts, Day0)] }));
        Assert.True(Fires(BuiltInPlaybooks.CrossSellDepartments, Paying() with { UserRoles = 3 }));
        Assert.False(Fires(BuiltInPlaybooks.CrossSellDepartments, Paying() with { UserRoles = 2 }));
        Assert.True(Fires(BuiltInPlaybooks.CrossSellDepartments, Paying() with { CompanyGrowth = 0.2 }));
        Assert.False(Fires(BuiltInPlaybooks.CrossSellDepartments, Paying() with { CompanyGrowth = 0.19 }));
        Assert.False(Fires(BuiltInPlaybooks.CrossSellDepartments, Paying() with { UserRoles = 5, ChurnedOn = Day0.PlusDays(-1) }));
    }

    [Fact]
    public void Opportunities_see_the_same_signals_with_their_options()
    {
        static OpportunityMoment[] Moments(CustomerState c, OpportunityOptions? o = null) => [.. Opportunities.Find(c, Day0, o).Select(x => x.Moment)];

        Assert.Equal([OpportunityMoment.AtLimit], Moments(Paying() with { Events = [new CustomerEvent(CustomerEvents.LimitTicket, Day0)] }));
        Assert.Equal([OpportunityMoment.DepartmentExpansion], Moments(Paying() with { UserRoles = 3 }));
        Assert.Empty(Moments(Paying() with { UserRoles = 3 }, new OpportunityOptions { SeveralRoles = 4 }));
        Assert.Equal([OpportunityMoment.DepartmentExpansion], Moments(Paying() with { CompanyGrowth = 0.1 }, new OpportunityOptions { GrowingCompany = 0.1 }));
    }
}
