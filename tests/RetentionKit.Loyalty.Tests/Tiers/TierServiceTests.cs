using System;
using System.Linq;
using System.Threading.Tasks;
using FsCheck.Xunit;
using NodaTime;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Tiers;
using RetentionKit.Loyalty.Tests.Ledger;

namespace RetentionKit.Loyalty.Tests.Tiers;

public class TierServiceTests
{
    private static readonly CustomerId Ana = LedgerFixture.Ana;

    private static (TierService Tiers, LedgerFixture Fixture) Create(TierBasis basis = TierBasis.LifetimeEarned, TierDowngrade downgrade = TierDowngrade.Immediate, int grace = 90)
    {
        var f = new LedgerFixture(expireAfterDays: 0);
        var options = new LoyaltyOptions { TierBasis = basis, TierDowngrade = downgrade, TierGraceDays = grace };
        return (new TierService(f.Ledger, f.Clock, options), f);
    }

    [Theory]
    [InlineData(0, "Bronze")]
    [InlineData(999, "Bronze")]
    [InlineData(1_000, "Silver")]
    [InlineData(4_999, "Silver")]
    [InlineData(5_000, "Gold")]
    [InlineData(9_999, "Gold")]
    [InlineData(10_000, "Platinum")]
    [InlineData(long.MaxValue, "Platinum")]
    public void TierFor_TheBoundariesOfL3(long basis, string tier) => Assert.Equal(tier, Create().Tiers.TierFor(basis).Name);

    [Fact]
    public void Tiers_CarryTheirBenefits()
    {
        var tiers = Create().Tiers.Tiers;
        Assert.Equal(["Bronze", "Silver", "Gold", "Platinum"], tiers.Select(t => t.Name));
        Assert.Contains("priority support", tiers[1].Benefits);
        Assert.Contains("custom development", tiers[3].Benefits);
    }

    // LI-11: more basis never means a lower tier.
    [Property]
    public bool TierFor_IsMonotone(long a, long b)
    {
        var tiers = Create().Tiers;
        var (low, high) = a <= b ? (a, b) : (b, a);
        return tiers.TierFor(low).Rank <= tiers.TierFor(high).Rank;
    }

    // The basis at any instant is the sum, over the earns it counts (all, or those inside the window), of what each
    // earned less what reversals of it posted by then took back: computed here earn by earn, without the service's pass.
    [Property(MaxTest = 150)]
    public bool Basis_IsEveryCountedEarn_LessItsReversals_AtEveryInstant(bool rolling, byte[] script)
    {
        var (tiers, f) = Create(rolling ? TierBasis.RollingWindow : TierBasis.LifetimeEarned);
        var step = 0;
        foreach (var b in script ?? [])
        {
            step++;
            f.AdvanceDays(b % 7 * 23);
            switch (b % 3)
            {
                case 0:
                    f.Ledger.EarnAsync(Ana, 50 + b * 13, $"e{step}", "referral").AsTask().GetAwaiter().GetResult();
                    break;
                case 1:
                    f.Ledger.RedeemAsync(Ana, 10 + b, $"r{step}", "reward").AsTask().GetAwaiter().GetResult();
                    break;
                default:
                    var earns = f.Ledger.GetHistoryAsync(Ana).AsTask().GetAwaiter().GetResult().Where(e => e.Kind == PostingKind.Earn).ToArray();
                    if (earns.Length > 0)
                    {
                        f.Ledger.ReverseAsync(Ana, earns[b % earns.Length].Sequence, null, $"v{step}", "refund").AsTask().GetAwaiter().GetResult();
                    }

                    break;
            }
        }

        var history = f.Ledger.GetHistoryAsync(Ana).AsTask().GetAwaiter().GetResult().ToArray();
        var window = Duration.FromDays(new LoyaltyOptions().TierWindowDays);
        var instants = history.SelectMany(e => new[] { e.At, e.At - Duration.FromHours(12), e.At + window, e.At + window + Duration.FromHours(12) });
        foreach (var at in instants.Append(f.Clock.GetCurrentInstant()).Distinct())
        {
            var expected = history
                .Where(e => e.Kind == PostingKind.Earn && e.At <= at && (!rolling || e.At > at - window))
                .Sum(e => e.Points - history.Where(r => r.Kind == PostingKind.Reverse && r.Reverses == e.Sequence && r.At <= at).Sum(r => -r.Points + r.Shortfall));
            // The status from a history already read is the status the service reads for itself.
            var status = tiers.GetStatusAsync(Ana, at).AsTask().GetAwaiter().GetResult();
            if (status.Basis != expected || tiers.GetStatus(Ana, history, at) != status)
            {
                return false;
            }
        }

        return true;
    }

    [Fact]
    public async Task GetStatus_FromAnotherMembersHistory_IsRefused()
    {
        var (tiers, f) = Create();
        var ben = new CustomerId("ben");
        await f.Ledger.EarnAsync(ben, 1_500, "e1", "referral");
        var history = await f.Ledger.GetHistoryAsync(ben);

        var ex = Assert.Throws<ArgumentException>(() => (object)tiers.GetStatus(Ana, history, f.Clock.GetCurrentInstant()));

        Assert.Equal("history", ex.ParamName);
        Assert.Equal("Silver", tiers.GetStatus(ben, history, f.Clock.GetCurrentInstant()).Tier.Name);
        Assert.Equal("Bronze", tiers.GetStatus(Ana, [], f.Clock.GetCurrentInstant()).Tier.Name);
    }

    [Fact]
    public async Task Spending_DoesNotLowerTheTier_ReversingAnEarnDoes()
    {
        var (tiers, f) = Create();
        await f.Ledger.EarnAsync(Ana, 1_200, "e1", "referral");
        await f.Ledger.RedeemAsync(Ana, 1_000, "r1", "beta access");

        var afterSpending = await tiers.GetStatusAsync(Ana);
        await f.Ledger.ReverseAsync(Ana, 1, 300, "refund", "refund");
        var afterReversal = await tiers.GetStatusAsync(Ana);

        Assert.Equal(("Silver", 1_200L, "Gold", 3_800L), (afterSpending.Tier.Name, afterSpending.Basis, afterSpending.Next!.Name, afterSpending.PointsToNext!.Value));
        Assert.Equal(("Bronze", 900L, 100L), (afterReversal.Tier.Name, afterReversal.Basis, afterReversal.PointsToNext!.Value));
    }

    [Fact]
    public async Task GracePeriod_KeepsTheBestTierOfTheLastDays()
    {
        var (tiers, f) = Create(downgrade: TierDowngrade.AfterGracePeriod, grace: 90);
        await f.Ledger.EarnAsync(Ana, 1_200, "e1", "referral");
        f.AdvanceDays(10);
        await f.Ledger.ReverseAsync(Ana, 1, 300, "refund", "refund");

        Assert.Equal("Silver", (await tiers.GetStatusAsync(Ana)).Tier.Name);
        f.AdvanceDays(89); // the member was Silver until the reversal on day 10: kept until day 100
        Assert.Equal("Silver", (await tiers.GetStatusAsync(Ana)).Tier.Name);
        f.AdvanceDays(1);
        Assert.Equal("Bronze", (await tiers.GetStatusAsync(Ana)).Tier.Name);
        var changes = await tiers.GetChangesAsync(Ana);
        Assert.Equal(
            [("Bronze", "Silver", LedgerFixture.Start), ("Silver", "Bronze", LedgerFixture.Start + Duration.FromDays(100))],
            changes.Select(c => (c.From.Name, c.To.Name, c.At)));
        Assert.True(changes[0].IsUpgrade);
        Assert.False(changes[1].IsUpgrade);
    }

    [Fact]
    public async Task RollingWindow_LetsOldPointsGo_UnlessDowngradeIsNever()
    {
        var (window, f) = Create(TierBasis.RollingWindow, TierDowngrade.Immediate);
        await f.Ledger.EarnAsync(Ana, 6_000, "e1", "referral");
        f.AdvanceDays(200);
        await f.Ledger.EarnAsync(Ana, 500, "e2", "feedback");
        f.AdvanceDays(200); // the first earn left the 365-day window 35 days ago

        var status = await window.GetStatusAsync(Ana);
        var changes = await window.GetChangesAsync(Ana);

        Assert.Equal(("Bronze", 500L), (status.Tier.Name, status.Basis));
        Assert.Equal(
            [("Bronze", "Gold", LedgerFixture.Start), ("Gold", "Bronze", LedgerFixture.Start + Duration.FromDays(365))],
            changes.Select(c => (c.From.Name, c.To.Name, c.At)));

        var never = new TierService(f.Ledger, f.Clock, new LoyaltyOptions { TierBasis = TierBasis.RollingWindow, TierDowngrade = TierDowngrade.Never });
        Assert.Equal("Gold", (await never.GetStatusAsync(Ana)).Tier.Name);
        Assert.Single(await never.GetChangesAsync(Ana));
    }

    [Fact]
    public async Task StatusAt_AnEarlierInstant()
    {
        var (tiers, f) = Create();
        await f.Ledger.EarnAsync(Ana, 700, "e1", "referral");
        f.AdvanceDays(1);
        await f.Ledger.EarnAsync(Ana, 700, "e2", "referral");

        Assert.Equal("Bronze", (await tiers.GetStatusAsync(Ana, LedgerFixture.Start + Duration.FromHours(1))).Tier.Name);
        Assert.Equal("Silver", (await tiers.GetStatusAsync(Ana)).Tier.Name);
        Assert.Equal("Gold", (await tiers.GetStatusAsync(Ana)).Next!.Name);
    }

    [Fact]
    public void Options_TierRules_AreChecked()
    {
        var options = new LoyaltyOptions { TierWindowDays = 0, TierGraceDays = -1 };
        options.Tiers[0].From = 5;
        options.Tiers[2].From = 1_000;
        options.Tiers[3].Name = "silver";

        var error = Assert.Throws<ArgumentException>("options", () => new TierService(new LedgerFixture().Ledger, new LedgerFixture().Clock, options));

        Assert.Contains("the first starts at 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Tiers:2:From (1000) must be above the previous tier's (1000).", error.Message, StringComparison.Ordinal);
        Assert.Contains("names must be unique", error.Message, StringComparison.Ordinal);
        Assert.Contains("TierWindowDays is 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("TierGraceDays is -1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopTier_HasNoNext_AndBronze_PointsToSilver()
    {
        var (tiers, f) = Create();
        var empty = await tiers.GetStatusAsync(Ana);
        await f.Ledger.EarnAsync(Ana, 12_000, "e1", "referral");
        var top = await tiers.GetStatusAsync(Ana);

        Assert.Equal(("Bronze", "Silver", 1_000L), (empty.Tier.Name, empty.Next!.Name, empty.PointsToNext!.Value));
        Assert.Equal(("Platinum", (Tier?)null, (long?)null), (top.Tier.Name, top.Next, top.PointsToNext));
    }

    [Fact]
    public void Defaults_AreTheTiersAndBenefitsOfL3()
    {
        var tiers = Create().Tiers.Tiers;

        Assert.Equal(
            [
                ("Bronze", 0L, "standard support, basic discounts"),
                ("Silver", 1_000L, "priority support, premium features"),
                ("Gold", 5_000L, "dedicated account manager, custom features"),
                ("Platinum", 10_000L, "white-glove service, custom development"),
            ],
            tiers.Select(t => (t.Name, t.From, string.Join(", ", t.Benefits))));
        Assert.Equal(string.Empty, new TierOptions().Name);
    }

    [Fact]
    public async Task RollingWindow_WithGrace_DowngradesAGracePeriodAfterThePointsLeaveTheWindow()
    {
        var (tiers, f) = Create(TierBasis.RollingWindow, TierDowngrade.AfterGracePeriod, grace: 90);
        await f.Ledger.EarnAsync(Ana, 6_000, "e1", "referral");
        f.AdvanceDays(500);

        var changes = await tiers.GetChangesAsync(Ana);

        Assert.Equal(
            [("Bronze", "Gold", LedgerFixture.Start), ("Gold", "Bronze", LedgerFixture.Start + Duration.FromDays(365 + 90))],
            changes.Select(c => (c.From.Name, c.To.Name, c.At)));
    }

    [Fact]
    public async Task Grace_KeepsTheBestTierOfThePeriod_NotTheLatestEarns()
    {
        var (tiers, f) = Create(downgrade: TierDowngrade.AfterGracePeriod, grace: 90);
        await f.Ledger.EarnAsync(Ana, 1_200, "e1", "referral");
        f.AdvanceDays(1);
        await f.Ledger.ReverseAsync(Ana, 1, 300, "refund", "refund");
        f.AdvanceDays(1);
        await f.Ledger.EarnAsync(Ana, 50, "e2", "feedback"); // basis 950: a Bronze earn inside the Silver grace period

        Assert.Equal("Silver", (await tiers.GetStatusAsync(Ana)).Tier.Name);
    }

    [Fact]
    public async Task NeverDowngrade_KeepsTheBestTierEver_EvenAfterAReversal()
    {
        var (tiers, f) = Create(downgrade: TierDowngrade.Never);
        await f.Ledger.EarnAsync(Ana, 1_200, "e1", "referral");
        f.AdvanceDays(10);
        await f.Ledger.ReverseAsync(Ana, 1, 300, "refund", "refund");
        f.AdvanceDays(200);

        Assert.Equal(("Silver", 900L), ((await tiers.GetStatusAsync(Ana)).Tier.Name, (await tiers.GetStatusAsync(Ana)).Basis));
        Assert.Single(await tiers.GetChangesAsync(Ana));
    }

    [Fact]
    public void TierChange_ToTheSameRank_IsNoUpgrade()
    {
        var silver = Create().Tiers.Tiers[1];

        Assert.False(new TierChange(Ana, LedgerFixture.Start, silver, silver).IsUpgrade);
    }
}
