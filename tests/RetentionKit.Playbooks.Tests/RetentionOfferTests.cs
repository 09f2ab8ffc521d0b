using System.Globalization;
using System.Linq;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests;

/// <summary>Issue 24: the retention offer's three choices (30 % off for 3 months, a free month of the next plan, a premium feature included), chosen per customer by their economics, and the day-3 escalation's improved offer.</summary>
public sealed class RetentionOfferTests
{
    private static readonly PlaybookOptions Options = new();

    private static CustomerState Customer(decimal mrr, decimal clv, decimal? upgradeGap = null, decimal? premium = null) =>
        BuiltInTimelineTests.AtRisk(PlaybookFixture.Customer()) with
        {
            MonthlyRevenue = Money.Usd(mrr),
            LifetimeValue = Money.Usd(clv),
            UpgradePriceIncrease = upgradeGap is { } g ? Money.Usd(g) : null,
            PremiumFeaturePrice = premium is { } p ? Money.Usd(p) : null,
        };

    [Fact]
    public void Each_choice_is_costed_and_the_best_expected_net_value_wins()
    {
        // $100 a month, CLV $2,000, saved with chance 0.40: $800 expected. Discount 30 % × 3 × $100 = $90; the next plan's
        // extra $40 for one month = $40; a $15 premium feature for 3 months = $45. Net: 710, 760, 755.
        var offers = RetentionOffers.Evaluate(Customer(100m, 2_000m, upgradeGap: 40m, premium: 15m), Options);

        Assert.Equal([RetentionOfferKind.UpgradeMonth, RetentionOfferKind.PremiumFeature, RetentionOfferKind.Discount], offers.Select(o => o.Kind).ToArray());
        Assert.Equal([40m, 45m, 90m], offers.Select(o => o.Economics.Cost.Amount).ToArray());
        Assert.Equal([760m, 755m, 710m], offers.Select(o => o.ExpectedNetValue.Amount).ToArray());
        Assert.Equal("upgrade-month", RetentionOffers.Choose(Customer(100m, 2_000m, upgradeGap: 40m, premium: 15m), Options)!.Name);
    }

    [Theory]
    [InlineData(20, 300, 30, 15, RetentionOfferKind.Discount)] // $18 off beats a $30 upgrade month and $45 of feature
    [InlineData(1000, 20000, 500, 50, RetentionOfferKind.PremiumFeature)] // $150 of feature beats $900 off and a $500 month
    [InlineData(100, 2000, null, null, RetentionOfferKind.Discount)] // the only choice without plan data
    public void The_choice_follows_the_customers_size(int mrr, int clv, int? gap, int? premium, RetentionOfferKind expected) =>
        Assert.Equal(expected, RetentionOffers.Choose(Customer(mrr, clv, gap, premium), Options)!.Kind);

    [Fact]
    public void The_improved_offer_is_deeper_longer_and_likelier_to_work()
    {
        // 40 % × 3 × $100 = $120; two months of the $40 upgrade = $80; six months of the $15 feature = $90; chance 0.50: $1,000 saved.
        var improved = RetentionOffers.Evaluate(Customer(100m, 2_000m, upgradeGap: 40m, premium: 15m), Options, improved: true);

        Assert.All(improved, o => Assert.True(o.Improved));
        Assert.Equal([80m, 90m, 120m], improved.Select(o => o.Economics.Cost.Amount).ToArray());
        Assert.Equal(1_000m, improved[0].Economics.ExpectedSavedValue.Amount);
    }

    [Fact]
    public void No_offer_is_made_when_none_is_worth_its_cost_or_the_customer_cannot_be_weighed()
    {
        // CLV $150 × 0.40 = $60 saved, against $90, $80 and $75.
        Assert.Null(RetentionOffers.Choose(Customer(100m, 150m, upgradeGap: 80m, premium: 25m), Options));
        Assert.Equal(3, RetentionOffers.Evaluate(Customer(100m, 150m, upgradeGap: 80m, premium: 25m), Options).Length);
        Assert.Empty(RetentionOffers.Evaluate(PlaybookFixture.Customer(), Options));

        var plan = Engine(BuiltInPlaybooks.RetentionOffer).Plan(Customer(100m, 150m, upgradeGap: 80m, premium: 25m), [], Day0)!;
        Assert.Equal("the offer costs 75 USD at the least (premium-feature), more than the expected saved value (60)", plan.Declined.Single().Reason);
    }

    [Fact]
    public void The_enrolment_keeps_the_offers_and_each_step_renders_its_own()
    {
        var engine = Engine(BuiltInPlaybooks.RetentionOffer);
        var customer = Customer(100m, 2_000m, upgradeGap: 40m, premium: 15m);

        var enrolment = engine.Plan(customer, [], Day0)!.Enrolments.Single().After;

        Assert.Equal(("upgrade-month", "upgrade-month"), (enrolment.Offer, enrolment.ImprovedOffer));
        var playbook = BuiltInPlaybooks.All.Single(p => p.Id == BuiltInPlaybooks.RetentionOffer);
        string? VariantOf(string step) => new StepDelivery("k", customer, playbook, playbook.Steps.Single(s => s.Id == step), Day0, enrolment).TemplateVariant;
        Assert.Equal("upgrade-month", VariantOf("offer"));
        Assert.Equal("upgrade-month", VariantOf("manager-call"));
        Assert.Equal("improved-upgrade-month", VariantOf("director-escalation"));
        var values = new System.Collections.Generic.Dictionary<string, object> { ["name"] = "Ana", ["product"] = "Acme", ["plan"] = "Pro", ["manager"] = "Marta" };
        Assert.Equal("Ana, a month of Pro on us", TemplateCatalog.BuiltIn.Render(TemplateIds.RetentionOfferOffer, CultureInfo.GetCultureInfo("en"), values, VariantOf("offer")).Subject);
        Assert.Equal("Ana, un mes de Pro por nuestra cuenta", TemplateCatalog.BuiltIn.Render(TemplateIds.RetentionOfferOffer, CultureInfo.GetCultureInfo("es"), values, VariantOf("offer")).Subject);
    }

    [Fact]
    public void A_discount_offer_renders_the_documents_template_and_an_improvement_that_does_not_pay_is_not_proposed()
    {
        // $100 a month, CLV $400: the 30 % discount ($90) pays (0.40 × 400 = 160); the improved 40 % ($120) also pays (0.50 × 400 = 200).
        var engine = Engine(BuiltInPlaybooks.RetentionOffer);
        var enrolment = engine.Plan(Customer(100m, 400m), [], Day0)!.Enrolments.Single().After;
        Assert.Equal(("discount", "discount"), (enrolment.Offer, enrolment.ImprovedOffer));

        // CLV $230: the discount pays (92 > 90), the improved one does not (115 < 120).
        var tight = engine.Plan(Customer(100m, 230m), [], Day0)!.Enrolments.Single().After;
        Assert.Equal("discount", tight.Offer);
        Assert.Null(tight.ImprovedOffer);
        var playbook = BuiltInPlaybooks.All.Single(p => p.Id == BuiltInPlaybooks.RetentionOffer);
        var escalation = new StepDelivery("k", Customer(100m, 230m), playbook, playbook.Steps.Single(s => s.Id == "director-escalation"), Day0, tight);
        Assert.Equal("discount", escalation.TemplateVariant); // no improved-… variant: the plain escalation
        Assert.Equal(TemplateIds.RetentionOfferEscalation, TemplateCatalog.BuiltIn.Find(TemplateIds.RetentionOfferEscalation, CultureInfo.GetCultureInfo("en"), escalation.TemplateVariant)!.Id);
    }

    [Fact]
    public void Bad_offer_options_are_refused()
    {
        var failures = new PlaybookOptionsValidator().Validate(null, new PlaybookOptions { ImprovedOfferDiscount = 1, UpgradeOfferMonths = 0, ImprovedOfferSuccess = 0 }).Failures!;

        Assert.Contains(failures, f => f.Contains("ImprovedOfferDiscount must be above 0 and below 1 (was 1).", System.StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("UpgradeOfferMonths must be 1 to 12 (was 0).", System.StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ImprovedOfferSuccess must be above 0 and at most 1 (was 0).", System.StringComparison.Ordinal));
    }
}
