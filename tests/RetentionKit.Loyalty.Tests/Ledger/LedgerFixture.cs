using NodaTime;
using NodaTime.Testing;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Tests.Ledger;

/// <summary>A ledger on an in-memory store and a fake clock.</summary>
internal sealed class LedgerFixture
{
    public static readonly Instant Start = Instant.FromUtc(2026, 1, 1, 9, 0);
    public static readonly CustomerId Ana = new("ana");

    public LedgerFixture(int expireAfterDays = 365, ReversalShortfallPolicy shortfall = ReversalShortfallPolicy.TakeFromOtherPoints, ILoyaltyLedgerStore? store = null)
    {
        Store = store ?? new InMemoryLoyaltyLedgerStore();
        Clock = new FakeClock(Start);
        Ledger = new LoyaltyLedger(Store, Clock, new LoyaltyOptions { PointsExpireAfterDays = expireAfterDays, ReversalShortfall = shortfall });
    }

    public ILoyaltyLedgerStore Store { get; }

    public FakeClock Clock { get; }

    public LoyaltyLedger Ledger { get; private set; }

    /// <summary>A new ledger instance on the same store and clock, as after a restart with other options.</summary>
    public void Restart(int expireAfterDays, ReversalShortfallPolicy shortfall) =>
        Ledger = new LoyaltyLedger(Store, Clock, new LoyaltyOptions { PointsExpireAfterDays = expireAfterDays, ReversalShortfall = shortfall });

    public void AdvanceDays(int days) => Clock.Advance(Duration.FromDays(days));
}
