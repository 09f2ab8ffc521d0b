using System;
using System.Linq;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Tests.Ledger;

public abstract class LedgerExampleTests
{
    private static readonly CustomerId Ana = LedgerFixture.Ana;

    [Fact]
    public async Task Earn_OpensALotThatExpiresAfterTheTerm_AndCountsForTiers()
    {
        var f = NewFixture(expireAfterDays: 30);

        var result = await f.Ledger.EarnAsync(Ana, 100, "e1", "daily use", reference: "event-1");

        Assert.True(result.IsPosted);
        Assert.False(result.Replayed);
        var entry = result.Entry!;
        Assert.Equal((1L, PostingKind.Earn, 100L, SystemAccount.Issued, -100L), (entry.Sequence, entry.Kind, entry.Points, entry.Counterparty, entry.CounterpartyPoints));
        Assert.Equal((LedgerFixture.Start, LedgerFixture.Start + Duration.FromDays(30)), (entry.At, entry.ExpiresAt!.Value));
        Assert.Equal(("daily use", "event-1", "e1"), (entry.Reason, entry.Reference, entry.IdempotencyKey));
        var account = await f.Ledger.GetAccountAsync(Ana);
        Assert.Equal((1L, 100L, 100L), (account.Version, account.Balance, account.QualifyingPoints));
        Assert.Equal(100, await f.Ledger.GetBalanceAsync(Ana));
        Assert.Equal(0, await f.Ledger.GetBalanceAsync(new CustomerId("nobody")));
        Assert.Equal(new Lot(1, 100, 100, LedgerFixture.Start, LedgerFixture.Start + Duration.FromDays(30)), Assert.Single(account.Lots));
    }

    [Fact]
    public async Task Redeem_ConsumesTheLotThatExpiresFirst()
    {
        var f = NewFixture(expireAfterDays: 30);
        await f.Ledger.EarnAsync(Ana, 100, "e1", "daily use");
        f.AdvanceDays(1);
        await f.Ledger.AdjustAsync(Ana, 50, "a1", "goodwill"); // expires a day later than e1
        f.AdvanceDays(1);
        await f.Ledger.EarnAsync(Ana, 80, "e2", "feedback");

        var result = await f.Ledger.RedeemAsync(Ana, 170, "r1", "priority support", reference: "priority-support");

        Assert.Equal([new LotAllocation(1, 100), new LotAllocation(2, 50), new LotAllocation(3, 20)], result.Entry!.Allocations.ToArray());
        Assert.Equal((-170L, SystemAccount.Redeemed, 60L), (result.Entry.Points, result.Entry.Counterparty, result.Balance));
        var account = await f.Ledger.GetAccountAsync(Ana);
        Assert.Equal(60, Assert.Single(account.Lots).Remaining);
        Assert.Equal(180, account.QualifyingPoints); // redemptions and adjustments leave the tier basis alone
    }

    [Fact]
    public async Task Redeem_TooFew_IsRejectedWhole_AndStaysRejected()
    {
        var f = NewFixture();
        await f.Ledger.EarnAsync(Ana, 100, "e1", "daily use");

        var rejected = await f.Ledger.RedeemAsync(Ana, 101, "r1", "training");

        Assert.Equal((PostingStatus.InsufficientPoints, (LedgerEntry?)null, 100L, false), (rejected.Status, rejected.Entry, rejected.Balance, rejected.Replayed));
        Assert.Equal(1, (await f.Ledger.GetAccountAsync(Ana)).Version);

        await f.Ledger.EarnAsync(Ana, 50, "e2", "feedback");
        var retried = await f.Ledger.RedeemAsync(Ana, 101, "r1", "training"); // now there would be enough, but the key's answer stands (LI-4)

        Assert.Equal((PostingStatus.InsufficientPoints, true), (retried.Status, retried.Replayed));
        Assert.Equal(150, (await f.Ledger.GetAccountAsync(Ana)).Balance);
    }

    [Fact]
    public async Task SameKey_SameRequest_ReturnsTheFirstOutcome_AndWritesNothing()
    {
        var f = NewFixture();
        var first = await f.Ledger.EarnAsync(Ana, 100, "e1", "daily use");
        f.AdvanceDays(3);

        var again = await f.Ledger.EarnAsync(Ana, 100, "e1", "daily use");

        Assert.True(again.Replayed);
        Assert.Equal(first.Entry, again.Entry); // the same entry, dated when it was first posted
        Assert.Single(await f.Ledger.GetHistoryAsync(Ana));
    }

    [Fact]
    public async Task SameKey_OtherRequest_IsAConflictNamingTheKey()
    {
        var f = NewFixture();
        await f.Ledger.EarnAsync(Ana, 100, "e1", "daily use");

        var conflict = await Assert.ThrowsAsync<IdempotencyConflictException>(async () => await f.Ledger.EarnAsync(Ana, 101, "e1", "daily use"));

        Assert.Equal(("e1", Ana), (conflict.Key, conflict.Member));
        Assert.Contains("'e1'", conflict.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<IdempotencyConflictException>(async () => await f.Ledger.RedeemAsync(Ana, 100, "e1", "daily use"));
        Assert.Equal(100, (await f.Ledger.GetAccountAsync(Ana)).Balance);
    }

    [Fact]
    public async Task Keys_ArePerMember()
    {
        var f = NewFixture();
        var bo = new CustomerId("bo");

        await f.Ledger.EarnAsync(Ana, 100, "e1", "daily use");
        var other = await f.Ledger.EarnAsync(bo, 5, "e1", "feature used");

        Assert.False(other.Replayed);
        Assert.Equal(5, (await f.Ledger.GetAccountAsync(bo)).Balance);
    }

    [Fact]
    public async Task Expire_PostsWhatRemainsOfEachDueLot_Once()
    {
        var f = NewFixture(expireAfterDays: 10);
        await f.Ledger.EarnAsync(Ana, 100, "e1", "daily use");
        f.AdvanceDays(5);
        await f.Ledger.EarnAsync(Ana, 40, "e2", "feedback");
        await f.Ledger.RedeemAsync(Ana, 30, "r1", "priority support");
        f.AdvanceDays(5); // e1's lot is due now (inclusive); e2's in five days

        var expired = await f.Ledger.ExpireAsync(Ana);
        var again = await f.Ledger.ExpireAsync(Ana);

        var entry = Assert.Single(expired);
        Assert.Equal((PostingKind.Expire, -70L, SystemAccount.Expired), (entry.Kind, entry.Points, entry.Counterparty));
        Assert.Equal([new LotAllocation(1, 70)], entry.Allocations.ToArray());
        Assert.Empty(again);
        Assert.Equal(40, (await f.Ledger.GetAccountAsync(Ana)).Balance);
        Assert.Equal(140, (await f.Ledger.GetAccountAsync(Ana)).QualifyingPoints); // expiry keeps the tier basis
    }

    [Fact]
    public async Task Redeem_NeverSpendsExpiredPoints_ItExpiresThemFirst()
    {
        var f = NewFixture(expireAfterDays: 10);
        await f.Ledger.EarnAsync(Ana, 100, "e1", "daily use");
        f.AdvanceDays(10);

        var result = await f.Ledger.RedeemAsync(Ana, 50, "r1", "priority support");

        Assert.Equal(PostingStatus.InsufficientPoints, result.Status);
        Assert.Equal(0, result.Balance);
        var history = await f.Ledger.GetHistoryAsync(Ana);
        Assert.Equal([PostingKind.Earn, PostingKind.Expire], history.Select(e => e.Kind));
    }

    [Fact]
    public async Task ReverseEarn_ClawsBackItsLotThenOtherPoints_AndWritesOffTheRest()
    {
        var f = NewFixture();
        await f.Ledger.EarnAsync(Ana, 100, "e1", "referral");
        await f.Ledger.EarnAsync(Ana, 30, "e2", "feedback");
        await f.Ledger.RedeemAsync(Ana, 110, "r1", "training"); // 100 from lot 1, 10 from lot 2: 20 left in lot 2

        var reversal = await f.Ledger.ReverseAsync(Ana, 1, null, "refund-1", "referred customer refunded");

        var entry = reversal.Entry!;
        Assert.Equal((PostingKind.Reverse, 1L, -20L, 80L, SystemAccount.ClawedBack), (entry.Kind, entry.Reverses!.Value, entry.Points, entry.Shortfall, entry.Counterparty));
        Assert.Equal([new LotAllocation(2, 20)], entry.Allocations.ToArray());
        var account = await f.Ledger.GetAccountAsync(Ana);
        Assert.Equal((0L, 30L), (account.Balance, account.QualifyingPoints)); // the reversed earn no longer qualifies
        Assert.Equal(PostingStatus.ExceedsReversible, (await f.Ledger.ReverseAsync(Ana, 1, 1, "refund-2", "again")).Status);
    }

    [Fact]
    public async Task ReverseEarn_WriteOffPolicy_TakesOnlyFromItsOwnLot()
    {
        var f = NewFixture(shortfall: ReversalShortfallPolicy.WriteOff);
        await f.Ledger.EarnAsync(Ana, 100, "e1", "referral");
        await f.Ledger.EarnAsync(Ana, 30, "e2", "feedback");
        await f.Ledger.RedeemAsync(Ana, 90, "r1", "training");

        var entry = (await f.Ledger.ReverseAsync(Ana, 1, null, "refund-1", "refund")).Entry!;

        Assert.Equal((-10L, 90L), (entry.Points, entry.Shortfall));
        Assert.Equal(30, (await f.Ledger.GetAccountAsync(Ana)).Balance);
    }

    [Fact]
    public async Task ReverseEarn_AllSpent_IsAllShortfall()
    {
        var f = NewFixture(shortfall: ReversalShortfallPolicy.WriteOff);
        await f.Ledger.EarnAsync(Ana, 100, "e1", "referral");
        await f.Ledger.RedeemAsync(Ana, 100, "r1", "training");

        var entry = (await f.Ledger.ReverseAsync(Ana, 1, null, "refund-1", "refund")).Entry!;

        Assert.Equal((0L, 100L, 0), (entry.Points, entry.Shortfall, entry.Allocations.Length));
        Assert.Equal((0L, 0L), ((await f.Ledger.GetAccountAsync(Ana)).Balance, (await f.Ledger.GetAccountAsync(Ana)).QualifyingPoints));
    }

    [Fact]
    public async Task ReverseRedeem_GivesPointsBackToTheLotsItTook_InParts()
    {
        var f = NewFixture();
        await f.Ledger.EarnAsync(Ana, 100, "e1", "daily use");
        await f.Ledger.EarnAsync(Ana, 100, "e2", "daily use");
        await f.Ledger.RedeemAsync(Ana, 150, "r1", "beta access");

        var first = (await f.Ledger.ReverseAsync(Ana, 3, 120, "undo-1", "reward withdrawn")).Entry!;
        var second = (await f.Ledger.ReverseAsync(Ana, 3, null, "undo-2", "reward withdrawn")).Entry!;

        Assert.Equal([new LotAllocation(1, 100), new LotAllocation(2, 20)], first.Allocations.ToArray());
        Assert.Equal([new LotAllocation(2, 30)], second.Allocations.ToArray());
        Assert.Equal((120L, 30L, SystemAccount.Redeemed), (first.Points, second.Points, first.Counterparty));
        var account = await f.Ledger.GetAccountAsync(Ana);
        Assert.Equal(200, account.Balance);
        Assert.Equal([100L, 100L], account.Lots.Select(l => l.Remaining));
    }

    [Fact]
    public async Task Reverse_OfAReversalOrAnExpiry_OrOfNothing_IsRefused()
    {
        var f = NewFixture(expireAfterDays: 1);
        await f.Ledger.EarnAsync(Ana, 100, "e1", "daily use");
        await f.Ledger.ReverseAsync(Ana, 1, 10, "undo-1", "mistake");
        await f.Ledger.EarnAsync(Ana, 5, "e2", "feature used");
        f.AdvanceDays(1);
        await f.Ledger.ExpireAsync(Ana); // entries 4 and 5 expire the two lots

        Assert.Equal(PostingStatus.NotReversible, (await f.Ledger.ReverseAsync(Ana, 2, null, "x1", "undo the undo")).Status);
        Assert.Equal(PostingStatus.NotReversible, (await f.Ledger.ReverseAsync(Ana, 4, null, "x2", "undo expiry")).Status);
        Assert.Equal(PostingStatus.EntryNotFound, (await f.Ledger.ReverseAsync(Ana, 99, null, "x3", "?")).Status);
        Assert.Equal(5, (await f.Ledger.GetAccountAsync(Ana)).Version);
    }

    [Fact]
    public async Task AccountAsOf_FoldsTheEntriesPostedByThen()
    {
        var f = NewFixture();
        await f.Ledger.EarnAsync(Ana, 100, "e1", "daily use");
        f.AdvanceDays(2);
        await f.Ledger.RedeemAsync(Ana, 40, "r1", "priority support");
        f.AdvanceDays(2);
        await f.Ledger.EarnAsync(Ana, 10, "e2", "daily use");

        var then = await f.Ledger.GetAccountAsync(Ana, LedgerFixture.Start + Duration.FromDays(3));
        var before = await f.Ledger.GetAccountAsync(Ana, LedgerFixture.Start - Duration.FromSeconds(1));

        Assert.Equal((2L, 60L, 100L), (then.Version, then.Balance, then.QualifyingPoints));
        Assert.Equal((0L, 0L, 0), (before.Version, before.Balance, before.Lots.Length));
        Assert.Equal(await f.Ledger.GetAccountAsync(Ana), LoyaltyLedger.Replay(Ana, await f.Ledger.GetHistoryAsync(Ana)), AccountComparer.Instance);
    }

    [Fact]
    public async Task EntryTimes_NeverGoBackwards_WhenTheClockDoes()
    {
        var f = NewFixture();
        await f.Ledger.EarnAsync(Ana, 1, "e1", "daily use");
        f.Clock.Reset(LedgerFixture.Start - Duration.FromHours(1));

        var entry = (await f.Ledger.EarnAsync(Ana, 1, "e2", "daily use")).Entry!;

        Assert.Equal(LedgerFixture.Start, entry.At);
    }

    [Fact]
    public async Task Overflow_ThrowsArgumentNamingPointsAndTheRule_AndWritesNothing()
    {
        var f = NewFixture();
        await f.Ledger.EarnAsync(Ana, long.MaxValue, "e1", "jackpot");

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>("points", async () => await f.Ledger.EarnAsync(Ana, 1, "e2", "one more"));
        Assert.Contains("LI-12", error.Message, StringComparison.Ordinal);
        Assert.Contains("never wrap", error.Message, StringComparison.Ordinal);

        Assert.Single(await f.Ledger.GetHistoryAsync(Ana));
        Assert.Null(await f.Store.FindKeyAsync(Ana, "e2")); // not remembered: it can be retried once fixed
    }

    [Fact]
    public async Task NeverExpiring_WhenTheTermIsZero()
    {
        var f = NewFixture(expireAfterDays: 0);
        var entry = (await f.Ledger.EarnAsync(Ana, 10, "e1", "daily use")).Entry!;
        f.AdvanceDays(10_000);

        Assert.Null(entry.ExpiresAt);
        Assert.Empty(await f.Ledger.ExpireAsync(Ana));
    }

    /// <summary>A fixture whose ledger takes the path this class tests, unless the test brings its own store.</summary>
    private protected abstract LedgerFixture NewFixture(int expireAfterDays = 365, ReversalShortfallPolicy shortfall = ReversalShortfallPolicy.TakeFromOtherPoints, ILoyaltyLedgerStore? store = null);

    /// <summary>The ledger on the in-memory store: decisions under the store's lock.</summary>
    public sealed class InMemoryPath : LedgerExampleTests
    {
        private protected override LedgerFixture NewFixture(int expireAfterDays, ReversalShortfallPolicy shortfall, ILoyaltyLedgerStore? store) => new(expireAfterDays, shortfall, store);
    }

    /// <summary>The ledger on a store it knows only through the interface: its cache and optimistic appends.</summary>
    public sealed class ThroughInterface : LedgerExampleTests
    {
        private protected override LedgerFixture NewFixture(int expireAfterDays, ReversalShortfallPolicy shortfall, ILoyaltyLedgerStore? store) => new(expireAfterDays, shortfall, store ?? new PassThroughStore());
    }
}
