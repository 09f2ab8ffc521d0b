using System.Linq;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests.Experiments;

/// <summary>An experiment on the retention offer's three choices: drawn by a stable hash among those worth their cost, instead of always the best.</summary>
public class OfferExperimentTests
{
    // $100 a month, CLV $2,000, an upgrade $40 dearer, a $15 premium feature: all three choices are worth their cost.
    private static CustomerState AtRiskCustomer(int i) =>
        BuiltInTimelineTests.AtRisk(new CustomerState(new CustomerId($"c{i}"), Madrid, Day0.PlusDays(-400))) with
        {
            MonthlyRevenue = Money.Usd(100m),
            LifetimeValue = Money.Usd(2_000m),
            UpgradePriceIncrease = Money.Usd(40m),
            PremiumFeaturePrice = Money.Usd(15m),
        };

    private static Enrolment EnrolOn(PlaybookEngine engine, int i) =>
        engine.Plan(AtRiskCustomer(i), [], Day0)!.Enrolments.Single(e => e.After.Playbook == BuiltInPlaybooks.RetentionOffer).After;

    [Fact]
    public void RandomizedOffers_SplitTheCustomersOverTheChoices_TheSameEveryRun()
    {
        var engine = Engine(new PlaybookOptions { RandomizeOffers = true }, BuiltInPlaybooks.RetentionOffer);

        var offers = Enumerable.Range(0, 3_000).Select(i => EnrolOn(engine, i)).ToArray();
        var counts = offers.GroupBy(e => e.Offer).ToDictionary(g => g.Key!, g => g.Count());

        Assert.Equal(["discount", "premium-feature", "upgrade-month"], counts.Keys.Order());
        Assert.All(counts.Values, n => Assert.InRange(n, 880, 1_120)); // a third each, ± 4 standard deviations
        Assert.Equal(offers.Select(e => e.Offer), Enumerable.Range(0, 3_000).Select(i => EnrolOn(engine, i).Offer));
        Assert.All(offers, e => Assert.Equal(e.Offer, e.ImprovedOffer)); // the escalation improves the same choice
    }

    [Fact]
    public void WithoutRandomizing_EveryoneGetsTheBestOffer()
    {
        var engine = Engine(BuiltInPlaybooks.RetentionOffer);

        Assert.All(Enumerable.Range(0, 200), i => Assert.Equal("upgrade-month", EnrolOn(engine, i).Offer));
    }

    [Fact]
    public void RandomizedOffers_DrawOnlyAmongTheChoicesWorthTheirCost()
    {
        // $20 a month, CLV $300 (saved value $120): only the $18 discount is worth it against a $30 upgrade month and $45 of feature.
        var engine = Engine(new PlaybookOptions { RandomizeOffers = true }, BuiltInPlaybooks.RetentionOffer);
        CustomerState Small(int i) => AtRiskCustomer(i) with { MonthlyRevenue = Money.Usd(20m), LifetimeValue = Money.Usd(300m), UpgradePriceIncrease = Money.Usd(130m), PremiumFeaturePrice = Money.Usd(45m) };

        var offers = Enumerable.Range(0, 300).Select(i => engine.Plan(Small(i), [], Day0)!.Enrolments.Single().After.Offer ?? "(none)").Distinct().ToArray();

        Assert.Equal(["discount"], offers);
    }
}
