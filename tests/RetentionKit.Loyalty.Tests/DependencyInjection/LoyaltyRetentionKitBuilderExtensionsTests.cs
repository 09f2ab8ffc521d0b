using System;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Tests.Ledger;
using RetentionKit.TestUtilities;

namespace RetentionKit.Loyalty.Tests.DependencyInjection;

public class LoyaltyRetentionKitBuilderExtensionsTests
{
    [Fact]
    public async Task AddLoyalty_UsesTheHostsClockAndStore_AndTheOptions()
    {
        var clock = new FakeClock(LedgerFixture.Start);
        var store = new InMemoryLoyaltyLedgerStore();
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(clock);
        services.AddSingleton<ILoyaltyLedgerStore>(store);
        services.AddRetentionKit(kit => kit.AddLoyalty(o => o.PointsExpireAfterDays = 7).AddLoyalty());
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var ledger = provider.GetRequiredService<LoyaltyLedger>();
        var entry = (await ledger.EarnAsync(LedgerFixture.Ana, 10, "e1", "daily use")).Entry!;

        Assert.Equal(LedgerFixture.Start + Duration.FromDays(7), entry.ExpiresAt);
        Assert.Single(await store.ReadAsync(LedgerFixture.Ana, 0));
        Assert.Single(services, d => d.ServiceType == typeof(LoyaltyLedger));
    }

    [Fact]
    public void StartupValidation_ListsEveryProblem()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddLoyalty(o =>
        {
            o.PointsExpireAfterDays = -1;
            o.ReversalShortfall = (ReversalShortfallPolicy)9;
        }));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
            new[] { "RetentionKit:Loyalty:PointsExpireAfterDays is -1; it must be 0 (never) or a number of days.", "RetentionKit:Loyalty:ReversalShortfall is 9, which is not a policy." },
            error.Failures);
    }

    [Fact]
    public void PublicTypes_AreImmutable_ExceptOptionsAndServices() =>
        MutabilityAssert.PublicTypesAreImmutable(typeof(LoyaltyLedger).Assembly, typeof(LoyaltyOptions), typeof(RetentionKit.Loyalty.Earning.EarningRuleOptions), typeof(RetentionKit.Loyalty.Rewards.RewardOptions), typeof(RetentionKit.Loyalty.Tiers.TierOptions), typeof(RetentionKit.Loyalty.Referrals.ReferralMomentOptions), typeof(RetentionKit.Loyalty.Referrals.ReferralOptions), typeof(RetentionKit.Loyalty.Referrals.ReferralIncentiveOptions), typeof(RetentionKit.Loyalty.Referrals.InMemoryReferralStore), typeof(RetentionKit.Loyalty.Badges.BadgeOptions));

    [Fact]
    public void Guards_NameTheArgument()
    {
        var ledger = new LedgerFixture().Ledger;
        Assert.Throws<ArgumentOutOfRangeException>("points", () => ledger.EarnAsync(LedgerFixture.Ana, 0, "k", "r"));
        Assert.Throws<ArgumentOutOfRangeException>("points", () => ledger.RedeemAsync(LedgerFixture.Ana, -5, "k", "r"));
        Assert.Throws<ArgumentOutOfRangeException>("points", () => ledger.AdjustAsync(LedgerFixture.Ana, 0, "k", "r"));
        Assert.Throws<ArgumentOutOfRangeException>("points", () => ledger.ReverseAsync(LedgerFixture.Ana, 1, 0, "k", "r"));
        Assert.Throws<ArgumentOutOfRangeException>("entry", () => ledger.ReverseAsync(LedgerFixture.Ana, 0, null, "k", "r"));
        Assert.Throws<ArgumentException>("idempotencyKey", () => ledger.EarnAsync(LedgerFixture.Ana, 1, " ", "r"));
        Assert.Throws<ArgumentException>("idempotencyKey", () => ledger.EarnAsync(LedgerFixture.Ana, 1, "~expire:1:1", "r"));
        Assert.Throws<ArgumentException>("idempotencyKey", () => ledger.EarnAsync(LedgerFixture.Ana, 1, new string('k', 201), "r"));
        Assert.Throws<ArgumentNullException>("reason", () => ledger.EarnAsync(LedgerFixture.Ana, 1, "k", null!));
        Assert.Throws<ArgumentException>("reason", () => ledger.AdjustAsync(LedgerFixture.Ana, 1, "k", " "));
        Assert.Throws<ArgumentException>("member", () => ledger.EarnAsync(default, 1, "k", "r"));
        Assert.Throws<ArgumentNullException>("store", () => new LoyaltyLedger(null!, SystemClockStandIn.Instance, new LoyaltyOptions()));
        Assert.Throws<ArgumentOutOfRangeException>("options.PointsExpireAfterDays", () => new LoyaltyLedger(new InMemoryLoyaltyLedgerStore(), SystemClockStandIn.Instance, new LoyaltyOptions { PointsExpireAfterDays = -1 }));
    }

    private sealed class SystemClockStandIn : IClock
    {
        public static readonly SystemClockStandIn Instance = new();

        public Instant GetCurrentInstant() => LedgerFixture.Start;
    }
}
