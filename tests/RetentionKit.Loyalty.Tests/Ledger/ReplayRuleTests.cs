using System;
using System.Collections.Generic;
using NodaTime;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Tests.Ledger;

// Replay checks every rule an entry must keep (LI-6..LI-9): a log that breaks one throws, naming the entry and the rule.
public class ReplayRuleTests
{
    private static readonly CustomerId Ana = LedgerFixture.Ana;
    private static readonly Instant At = LedgerFixture.Start;

    private static LedgerEntry Earn(long sequence, long points) => new()
    {
        Member = Ana, Sequence = sequence, IdempotencyKey = $"e{sequence}", Kind = PostingKind.Earn, Points = points, Counterparty = SystemAccount.Issued, At = At,
    };

    private static LedgerEntry Debit(long sequence, PostingKind kind, long points, params LotAllocation[] allocations) => new()
    {
        Member = Ana, Sequence = sequence, IdempotencyKey = $"d{sequence}", Kind = kind, Points = -points, Counterparty = SystemAccount.Redeemed, At = At, Allocations = [.. allocations],
    };

    private static LedgerEntry Reverse(long sequence, long target, long points, long shortfall = 0, params LotAllocation[] allocations) => new()
    {
        Member = Ana, Sequence = sequence, IdempotencyKey = $"r{sequence}", Kind = PostingKind.Reverse, Points = points, Counterparty = SystemAccount.ClawedBack, At = At, Reverses = target, Shortfall = shortfall, Allocations = [.. allocations],
    };

    public static TheoryData<string, LedgerEntry[]> BrokenLogs() => new()
    {
        { "expected member", [Earn(1, 10) with { Member = new CustomerId("bo") }] },
        { "sequence 1", [Earn(2, 10)] },
        { "at least one point", [Earn(1, 0)] },
        { "balance to -5", [Earn(1, 10), Debit(2, PostingKind.Redeem, 15, new LotAllocation(1, 15))] },
        { "a credit opens a lot and consumes none", [Earn(1, 10) with { Allocations = [new LotAllocation(1, 1)] }] },
        { "a debit is negative", [Earn(1, 10), Debit(2, PostingKind.Redeem, -5)] },
        { "lot 7 does not exist", [Earn(1, 10), Debit(2, PostingKind.Redeem, 5, new LotAllocation(7, 5))] },
        { "lot 1 holds 10 points, not 11", [Earn(1, 10), Earn(2, 10), Debit(3, PostingKind.Redeem, 11, new LotAllocation(1, 11))] },
        { "the allocations add up to the entry", [Earn(1, 10), Debit(2, PostingKind.Redeem, 5, new LotAllocation(1, 4))] },
        { "an expiry takes all that remains of one lot", [Earn(1, 10), Debit(2, PostingKind.Expire, 5, new LotAllocation(1, 5))] },
        { "a reversal names an earlier entry", [Earn(1, 10), Reverse(2, 2, -5, 0, new LotAllocation(1, 5))] },
        { "reversals never exceed their entry", [Earn(1, 10), Reverse(2, 1, -5, 6, new LotAllocation(1, 5))] },
        { "moves at least one point", [Earn(1, 10), Reverse(2, 1, 0)] },
        { "the reversal of a credit debits the member", [Earn(1, 10), Reverse(2, 1, 5)] },
        { "the reversal of a debit credits the member", [Earn(1, 10), Debit(2, PostingKind.Redeem, 5, new LotAllocation(1, 5)), Reverse(3, 2, -1, 0, new LotAllocation(1, 1))] },
        { "a lot never holds more than it opened with", [Earn(1, 10), Earn(2, 10), Debit(3, PostingKind.Redeem, 15, new LotAllocation(1, 10), new LotAllocation(2, 5)), Reverse(4, 3, 12, 0, new LotAllocation(2, 12))] },
        { "reversals never exceed their entry (LI-9)", [Earn(1, 10), Debit(2, PostingKind.Redeem, 5, new LotAllocation(1, 5)), Reverse(3, 2, 6, 0, new LotAllocation(1, 6))] },
        { "lot 0 does not exist", [Earn(1, 10), Debit(2, PostingKind.Redeem, 5, new LotAllocation(0, 5))] },
        { "lot 3 does not exist", [Earn(1, 10), Earn(2, 10), Debit(3, PostingKind.Redeem, 5, new LotAllocation(1, 5)), Debit(4, PostingKind.Redeem, 1, new LotAllocation(3, 1))] },
        { "lot 1 holds 5 points, not 0", [Earn(1, 10), Debit(2, PostingKind.Redeem, 5, new LotAllocation(1, 5), new LotAllocation(1, 0))] },
        { "an expiry takes all that remains of one lot", [Earn(1, 10), Earn(2, 10), Debit(3, PostingKind.Expire, 10, new LotAllocation(1, 10), new LotAllocation(2, 0))] },
        { "lot 9 does not exist", [Earn(1, 10), Debit(2, PostingKind.Redeem, 5, new LotAllocation(1, 5)), Reverse(3, 2, 5, 0, new LotAllocation(9, 5))] },
        { "a lot never holds more than it opened with", [Earn(1, 10), Debit(2, PostingKind.Redeem, 5, new LotAllocation(1, 5)), Reverse(3, 2, 5, 0, new LotAllocation(1, 5), new LotAllocation(1, 0))] },
        { "the allocations add up to the entry", [Earn(1, 10), Debit(2, PostingKind.Redeem, 5, new LotAllocation(1, 5)), Reverse(3, 2, 5, 0, new LotAllocation(1, 4))] },
        { "cannot be reversed", [Earn(1, 10), Reverse(2, 1, -1, 0, new LotAllocation(1, 1)), Reverse(3, 2, -1, 0, new LotAllocation(1, 1))] },
    };

    [Theory]
    [MemberData(nameof(BrokenLogs))]
    public void Replay_OfALogThatBreaksARule_ThrowsNamingIt(string rule, LedgerEntry[] log)
    {
        var error = Assert.Throws<InvalidOperationException>(() => LoyaltyLedger.Replay(Ana, log));

        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
        Assert.Contains("breaks a ledger rule", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_OfALogThatOverflows_ThrowsNamingTheEntryAndLi12()
    {
        var balance = Assert.Throws<InvalidOperationException>(() => LoyaltyLedger.Replay(Ana, [Earn(1, long.MaxValue), Earn(2, 1)]));
        Assert.Contains("Ledger entry 2", balance.Message, StringComparison.Ordinal);
        Assert.Contains("LI-12", balance.Message, StringComparison.Ordinal);
        var qualifying = Assert.Throws<InvalidOperationException>(() => LoyaltyLedger.Replay(Ana, [Earn(1, long.MaxValue), Debit(2, PostingKind.Redeem, 10, new LotAllocation(1, 10)), Earn(3, 10)]));
        Assert.Contains("Ledger entry 3", qualifying.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_OfAValidLog_Folds()
    {
        IEnumerable<LedgerEntry> log = [Earn(1, 10), Debit(2, PostingKind.Redeem, 4, new LotAllocation(1, 4)), Reverse(3, 2, 4, 0, new LotAllocation(1, 4)), Reverse(4, 1, -10, 0, new LotAllocation(1, 10))];

        var account = LoyaltyLedger.Replay(Ana, log);

        Assert.Equal((4L, 0L, 0L), (account.Version, account.Balance, account.QualifyingPoints));
        Assert.Empty(account.Lots);
    }
}
