using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using RetentionKit.Loyalty.Earning;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Loyalty.Rewards;
using RetentionKit.Loyalty.Tests.Ledger;
using RetentionKit.Loyalty.Tiers;

namespace RetentionKit.Loyalty.Tests.DependencyInjection;

/// <summary>Bad input across the package: each guard names its argument and says the rule, and nothing is done.</summary>
public class GuardTests
{
    private static readonly CustomerId Ana = LedgerFixture.Ana;
    private static readonly Instant Now = LedgerFixture.Start;

    [Fact]
    public void Services_RejectNullDependencies_NamingThem()
    {
        var f = new LedgerFixture();
        var options = new LoyaltyOptions();

        Assert.Equal("ledger", Assert.Throws<ArgumentNullException>(() => new EarningService(null!, options, [])).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new EarningService(f.Ledger, null!, [])).ParamName);
        Assert.Equal("customRules", Assert.Throws<ArgumentNullException>(() => new EarningService(f.Ledger, options, null!)).ParamName);
        Assert.Equal("ledger", Assert.Throws<ArgumentNullException>(() => new TierService(null!, f.Clock, options)).ParamName);
        Assert.Equal("clock", Assert.Throws<ArgumentNullException>(() => new TierService(f.Ledger, null!, options)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new TierService(f.Ledger, f.Clock, null!)).ParamName);
        Assert.Equal("ledger", Assert.Throws<ArgumentNullException>(() => new RewardCatalog(null!, options)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new RewardCatalog(f.Ledger, null!)).ParamName);
        Assert.Equal("checks", Assert.Throws<ArgumentNullException>(() => new ReferralFraudPipeline(null!)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new ReferralMoments(null!)).ParamName);
        Assert.Equal("entry", Assert.Throws<ArgumentNullException>(() => RequestFingerprint.Of(null!)).ParamName);
    }

    [Fact]
    public void Services_RejectBrokenOptions_WithTheProblemsInTheMessage()
    {
        var f = new LedgerFixture();
        var options = new LoyaltyOptions { TierGraceDays = -1, TierWindowDays = 0 };
        options.Rewards["beta-access"].Points = 0;
        options.Rewards["custom-feature"].Points = 0;
        options.EarningRules[LoyaltyEventKinds.Feedback].Points = 0;
        options.EarningRules[LoyaltyEventKinds.Feedback].MaxPerDay = 0;

        Assert.StartsWith("RetentionKit:Loyalty:TierWindowDays is 0; it must be at least 1. RetentionKit:Loyalty:TierGraceDays is -1; it must not be negative.", Assert.Throws<ArgumentException>("options", () => new TierService(f.Ledger, f.Clock, options)).Message, StringComparison.Ordinal);
        Assert.StartsWith("RetentionKit:Loyalty:Rewards:beta-access:Points is 0; it must be at least 1. RetentionKit:Loyalty:Rewards:custom-feature:Points is 0; it must be at least 1.", Assert.Throws<ArgumentException>("options", () => new RewardCatalog(f.Ledger, options)).Message, StringComparison.Ordinal);
        Assert.StartsWith("RetentionKit:Loyalty:EarningRules:feedback:Points is 0; it must be at least 1. RetentionKit:Loyalty:EarningRules:feedback:MaxPerDay is 0;", Assert.Throws<ArgumentException>("options", () => new EarningService(f.Ledger, options, [])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_RejectNullArguments_NamingThem()
    {
        var f = new LedgerFixture();
        var earning = new EarningService(f.Ledger, new LoyaltyOptions(), []);
        var catalog = new RewardCatalog(f.Ledger, new LoyaltyOptions());
        var store = new InMemoryReferralStore();

        Assert.Equal("loyaltyEvent", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await earning.EarnAsync(null!))).ParamName);
        Assert.Equal("reward", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await catalog.RedeemAsync(Ana, null!, "k"))).ParamName);
        Assert.Equal("account", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.TryAddReferrerAsync(null!))).ParamName);
        Assert.Equal("account", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.TryUpdateReferrerAsync(null!, 1))).ParamName);
        Assert.Equal("referral", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.TryAddReferralAsync(null!))).ParamName);
        Assert.Equal("referral", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.TryUpdateReferralAsync(null!, 1))).ParamName);
    }

    [Fact]
    public void LoyaltyEvent_Rules()
    {
        var zone = DateTimeZone.Utc;
        var longId = new string('e', LoyaltyEvent.MaxIdLength + 1);
        var longKind = new string('k', 51);

        Assert.Equal("kind", Assert.Throws<ArgumentException>(() => new LoyaltyEvent("e1", Ana, " ", Now, zone)).ParamName);
        var id = Assert.Throws<ArgumentException>(() => new LoyaltyEvent(longId, Ana, "kind", Now, zone));
        Assert.Equal("id", id.ParamName);
        Assert.StartsWith("An event id has at most 100 characters and a kind at most 50.", id.Message, StringComparison.Ordinal);
        Assert.Equal("kind", Assert.Throws<ArgumentException>(() => new LoyaltyEvent("e1", Ana, longKind, Now, zone)).ParamName);
        Assert.Equal("kind", Assert.Throws<ArgumentException>(() => new LoyaltyEvent(new string('e', LoyaltyEvent.MaxIdLength), Ana, longKind, Now, zone)).ParamName);
        var member = Assert.Throws<ArgumentException>(() => new LoyaltyEvent("e1", default, "kind", Now, zone));
        Assert.Equal("member", member.ParamName);
        Assert.StartsWith("The member must be a real customer id, not default.", member.Message, StringComparison.Ordinal);

        var longest = new LoyaltyEvent(new string('e', LoyaltyEvent.MaxIdLength), Ana, new string('k', 50), Now, zone);
        Assert.Equal((100, 50), (longest.Id.Length, longest.Kind.Length));
    }

    [Fact]
    public async Task EarningRule_AwardingBelowOnePoint_OrACapBelowOne_IsABug_ReportedAsSuch()
    {
        var f = new LedgerFixture();
        var zero = new EarningService(f.Ledger, new LoyaltyOptions(), [new FixedRule("custom", new EarningAward(0, null, "none"))]);
        var noCap = new EarningService(f.Ledger, new LoyaltyOptions(), [new FixedRule("custom", new EarningAward(5, 0, "capped"))]);
        var one = new EarningService(f.Ledger, new LoyaltyOptions(), [new FixedRule("custom", new EarningAward(1, 1, "one"))]);
        var e = new LoyaltyEvent("e1", Ana, "custom", Now, DateTimeZone.Utc);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await zero.EarnAsync(e));
        Assert.Equal("The earning rule FixedRule for 'custom' awarded 0 points with a cap of ; points and caps are at least 1.", error.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await noCap.EarnAsync(e));
        Assert.Equal(1, (await one.EarnAsync(e)).Posting!.Entry!.Points);
    }

    [Fact]
    public void EarningRules_TwoForOneKind_AreRefused_NamingBoth()
    {
        var f = new LedgerFixture();

        var error = Assert.Throws<ArgumentException>("customRules", () => new EarningService(f.Ledger, new LoyaltyOptions(), [new FixedRule("custom", default), new FixedRule("custom", default)]));

        Assert.StartsWith("Two earning rules handle 'custom' (FixedRule, FixedRule); a kind has one rule.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Experiment_Rules()
    {
        var one = Assert.Throws<ArgumentException>("variants", () => new IncentiveExperiment("x", [new IncentiveVariant("a", 1d)]));
        Assert.StartsWith("An experiment has at least two variants.", one.Message, StringComparison.Ordinal);
        var nullVariant = Assert.Throws<ArgumentException>("variants", () => new IncentiveExperiment("x", [new IncentiveVariant("a", 1d), null!]));
        Assert.StartsWith("Each variant has a unique, non-blank name and a finite weight above 0.", nullVariant.Message, StringComparison.Ordinal);
        var customer = Assert.Throws<ArgumentException>("customer", () => new IncentiveExperiment("x", [new IncentiveVariant("a", 1d), new IncentiveVariant("b", 1d)]).Assign(default));
        Assert.StartsWith("The customer must be a real customer id, not default.", customer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FraudPipeline_Rules()
    {
        var error = Assert.Throws<ArgumentException>("checks", () => new ReferralFraudPipeline([.. ReferralFraudPipeline.BuiltIn, ReferralFraudPipeline.BuiltIn[0]]));
        Assert.StartsWith("Every check must be non-null with a unique name.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Moments_OptionRules_NameTheOption()
    {
        var roi = Assert.Throws<ArgumentOutOfRangeException>("options.PositiveRoiFrom", () => new ReferralMoments(new ReferralMomentOptions { PositiveRoiFrom = double.NaN }));
        Assert.StartsWith("The ROI threshold must be a finite number.", roi.Message, StringComparison.Ordinal);
        var low = Assert.Throws<ArgumentOutOfRangeException>("options.PositiveNpsFrom", () => new ReferralMoments(new ReferralMomentOptions { PositiveNpsFrom = -1 }));
        Assert.StartsWith("The NPS threshold is an answer from 0 to 10.", low.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>("options.PositiveNpsFrom", () => new ReferralMoments(new ReferralMomentOptions { PositiveNpsFrom = 11 }));
        Assert.NotNull(new ReferralMoments(new ReferralMomentOptions { PositiveNpsFrom = 0 }));
        Assert.NotNull(new ReferralMoments(new ReferralMomentOptions { PositiveNpsFrom = 10 }));
    }

    [Fact]
    public void Moments_MilestoneRules_SayWhatIsWrong()
    {
        var moments = new ReferralMoments(new ReferralMomentOptions());
        var today = new LocalDate(2026, 5, 10);

        var future = Assert.Throws<ArgumentException>("milestones", () => moments.Open(new CustomerMilestones(Ana, today.PlusDays(1)), today));
        Assert.StartsWith("Customer ana's milestones lie after 2026-05-10; they must be in the past.", future.Message, StringComparison.Ordinal);
        var early = Assert.Throws<ArgumentException>("milestones", () => moments.Open(new CustomerMilestones(Ana, today, FirstSuccess: today.PlusDays(-1)), today));
        Assert.StartsWith("Customer ana's first success (2026-05-09) is before the sign-up (2026-05-10).", early.Message, StringComparison.Ordinal);
        var nps = Assert.Throws<ArgumentException>("milestones", () => moments.Open(new CustomerMilestones(Ana, today, LatestNps: -1, LatestNpsOn: today), today));
        Assert.StartsWith("Customer ana's NPS answer must be 0–10 with its date (or neither), and the ROI a finite number.", nps.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("milestones", () => moments.Open(new CustomerMilestones(Ana, today, LatestNps: 11, LatestNpsOn: today), today));

        // The limits themselves are fine: signed up today, first success the same day, answers 0 and 10.
        Assert.Equal(new[] { ReferralMoment.FirstSuccess }, moments.Open(new CustomerMilestones(Ana, today, FirstSuccess: today, LatestNps: 0, LatestNpsOn: today), today).ToArray());
        Assert.Equal(new[] { ReferralMoment.PositiveFeedback }, moments.Open(new CustomerMilestones(Ana, today, LatestNps: 10, LatestNpsOn: today), today).ToArray());
    }

    [Fact]
    public void Moments_AnAnniversary_IsListedOnce()
    {
        var moments = new ReferralMoments(new ReferralMomentOptions { OpenForDays = 400 });
        var signedUp = new LocalDate(2024, 5, 10);

        Assert.Equal(new[] { ReferralMoment.Anniversary }, moments.Open(new CustomerMilestones(Ana, signedUp), new LocalDate(2026, 5, 10)).ToArray());
    }

    [Fact]
    public void Registration_RejectsANullBuilder()
    {
        IRetentionKitBuilder kit = null!;
        Assert.Equal("kit", Assert.Throws<ArgumentNullException>(() => kit.AddLoyalty()).ParamName);
        Assert.Equal("kit", Assert.Throws<ArgumentNullException>(() => kit.AddEarningRule<FixedRule>()).ParamName);
        Assert.Equal("kit", Assert.Throws<ArgumentNullException>(() => kit.AddReferralFraudCheck<NoCheck>()).ParamName);
        Assert.Equal("kit", Assert.Throws<ArgumentNullException>(() => kit.AddReferralSignals<NoSignals>()).ParamName);
    }

    [Fact]
    public void Registration_Resolves_Tiers_AndTheCatalogue()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new NodaTime.Testing.FakeClock(Now));
        services.AddRetentionKit(kit => kit.AddLoyalty().AddLoyalty(o => o.TierGraceDays = 5));
        using var provider = services.BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<TierService>());
        Assert.NotNull(provider.GetRequiredService<RewardCatalog>());
        Assert.Single(services, d => d.ServiceType == typeof(TierService));
    }

    private sealed class FixedRule(string kind, EarningAward award) : IEarningRule
    {
        public FixedRule()
            : this("fixed", new EarningAward(1, null, "fixed"))
        {
        }

        public string Kind => kind;

        public EarningAward? Award(LoyaltyEvent loyaltyEvent) => award;
    }

    private sealed class NoCheck : IReferralFraudCheck
    {
        public string Name => "none";

        public FraudFinding Check(ReferralSignals signals) => new(Name, FraudVerdict.Pass, string.Empty);
    }

    private sealed class NoSignals : IReferralSignalSource
    {
        public ValueTask<ReferralSignals> GetSignalsAsync(CustomerId referrer, CustomerId referred, System.Threading.CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new ReferralSignals(referrer, referred));
    }
}
