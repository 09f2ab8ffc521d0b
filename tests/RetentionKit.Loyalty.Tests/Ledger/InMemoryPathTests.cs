using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Tests.Ledger;

/// <summary>
/// What only the ledger's in-memory path does: it folds the store's own log under the store's lock, so a log someone
/// wrote around the ledger is checked there, and reads never create a member.
/// </summary>
public class InMemoryPathTests
{
    private static readonly CustomerId Ana = LedgerFixture.Ana;

    [Fact]
    public async Task AnEntryThatBreaksARule_WrittenStraightIntoTheStore_FailsEveryCall_AndTheLogStaysReadable()
    {
        var f = new LedgerFixture();
        var overdraw = new LedgerEntry
        {
            Member = Ana, Sequence = 1, IdempotencyKey = "x", Kind = PostingKind.Redeem, Points = -5, Counterparty = SystemAccount.Redeemed, At = LedgerFixture.Start,
        };
        await f.Store.AppendAsync(Ana, 0, new IdempotencyRecord("x", RequestFingerprint.Of(overdraw), PostingStatus.Posted, 1), overdraw);

        for (var call = 0; call < 2; call++)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await f.Ledger.GetBalanceAsync(Ana));
            Assert.Equal("Ledger entry 1 (Redeem, key 'x') of member ana breaks a ledger rule: it would take the balance to -5.", error.Message);
        }

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await f.Ledger.EarnAsync(Ana, 10, "e1", "daily use"));
        Assert.Equal(overdraw, Assert.Single(await f.Ledger.GetHistoryAsync(Ana)));
    }

    [Fact]
    public async Task ALogThatFailedToFold_IsFoldedAgainFromTheStart_SoEveryCallNamesTheSameRule()
    {
        var f = new LedgerFixture();
        await f.Ledger.EarnAsync(Ana, 10, "e1", "daily use");
        var overdraw = new LedgerEntry
        {
            Member = Ana, Sequence = 2, IdempotencyKey = "x", Kind = PostingKind.Redeem, Points = -15, Counterparty = SystemAccount.Redeemed, At = LedgerFixture.Start,
            Allocations = [new LotAllocation(1, 15)],
        };
        await f.Store.AppendAsync(Ana, 1, new IdempotencyRecord("x", RequestFingerprint.Of(overdraw), PostingStatus.Posted, 2), overdraw);

        // A second fold on top of the first (balance 20, the lot refilled) would pass the balance rule and fail another.
        for (var call = 0; call < 3; call++)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await f.Ledger.GetAccountAsync(Ana));
            Assert.Equal("Ledger entry 2 (Redeem, key 'x') of member ana breaks a ledger rule: it would take the balance to -5.", error.Message);
        }
    }

    [Fact]
    public async Task AnEntryAppendedStraightIntoTheStore_IsFoldedIntoTheNextDecision()
    {
        var f = new LedgerFixture();
        await f.Ledger.EarnAsync(Ana, 10, "e1", "daily use");
        var outside = new LedgerEntry
        {
            Member = Ana, Sequence = 2, IdempotencyKey = "gift", Kind = PostingKind.Earn, Points = 90, Counterparty = SystemAccount.Issued, At = LedgerFixture.Start + Duration.FromHours(1),
        };
        await f.Store.AppendAsync(Ana, 1, new IdempotencyRecord("gift", RequestFingerprint.Of(outside), PostingStatus.Posted, 2), outside);

        var redeemed = await f.Ledger.RedeemAsync(Ana, 100, "r1", "reward");

        Assert.Equal((PostingStatus.Posted, 3L, 0L), (redeemed.Status, redeemed.Entry!.Sequence, redeemed.Balance));
        Assert.Equal(outside.At, redeemed.Entry.At); // never earlier than the member's last entry
        Assert.Equal([new LotAllocation(1, 10), new LotAllocation(2, 90)], redeemed.Entry.Allocations.ToArray());
    }

    [Fact]
    public async Task ALedgerKeyWrittenStraightIntoTheStore_StopsThePostingThatNeedsIt_AndNothingIsWritten()
    {
        var f = new LedgerFixture(expireAfterDays: 1);
        await f.Ledger.EarnAsync(Ana, 10, "e1", "daily use");
        await f.Store.AppendAsync(Ana, 1, new IdempotencyRecord("~expire:1:1", new RequestFingerprint(PostingKind.Redeem, -1, null, "x", null), PostingStatus.InsufficientPoints, null), null);
        f.AdvanceDays(2);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await f.Ledger.RedeemAsync(Ana, 5, "r1", "reward"));

        Assert.Equal("The store refused key '~expire:1:1' of member ana: KeyExists.", error.Message);
        Assert.Single(await f.Ledger.GetHistoryAsync(Ana));
        Assert.Null(await f.Store.FindKeyAsync(Ana, "r1"));
    }

    [Fact]
    public async Task Reads_OfAMemberWithNoEntries_AnswerEmpty_AndCreateNoMember()
    {
        var f = new LedgerFixture();

        Assert.Equal(0, await f.Ledger.GetBalanceAsync(Ana));
        Assert.Equal(new LoyaltyAccount(Ana, 0, 0, 0, []), await f.Ledger.GetAccountAsync(Ana), AccountComparer.Instance);
        Assert.Empty(await f.Ledger.ExpireAsync(Ana));
        Assert.Empty(await f.Store.MembersAsync().ToListAsync());
    }

    [Fact]
    public async Task ACancelledCall_WritesNothing()
    {
        var f = new LedgerFixture();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await f.Ledger.EarnAsync(Ana, 10, "e1", "daily use", cancellationToken: cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await f.Ledger.GetBalanceAsync(Ana, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await f.Ledger.GetAccountAsync(Ana, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await f.Ledger.ExpireAsync(Ana, cancelled.Token));

        Assert.Empty(await f.Store.MembersAsync().ToListAsync());
    }
}
