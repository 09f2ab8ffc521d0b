using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Tests.Ledger;

// A log that breaks a ledger rule never folds silently: the read fails naming the entry and the rule, and the broken
// state is not cached, so once the store is repaired the member reads correctly again.
public class CorruptLogTests
{
    private static readonly CustomerId Ana = LedgerFixture.Ana;

    [Fact]
    public async Task BrokenEntry_FailsLoudly_AndIsNotCached()
    {
        var store = new FlakyStore();
        var f = new LedgerFixture(store: store);
        await f.Ledger.EarnAsync(Ana, 100, "e1", "daily use");
        var fresh = new LoyaltyLedger(store, f.Clock, new LoyaltyOptions());

        store.Overdraw = true;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await fresh.GetBalanceAsync(Ana));
        store.Overdraw = false;

        Assert.Contains("breaks a ledger rule", error.Message, StringComparison.Ordinal);
        Assert.Contains("Ledger entry 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(100, await fresh.GetBalanceAsync(Ana));
        Assert.Throws<InvalidOperationException>(() => LoyaltyLedger.Replay(Ana, [store.Broken(100)]));
    }

    private sealed class FlakyStore : ILoyaltyLedgerStore
    {
        private readonly InMemoryLoyaltyLedgerStore _inner = new();

        public bool Overdraw { get; set; }

        public LedgerEntry Broken(long points) => new()
        {
            Member = Ana, Sequence = 1, IdempotencyKey = "e1", Kind = PostingKind.Redeem, Points = -points, Counterparty = SystemAccount.Redeemed, At = LedgerFixture.Start,
        };

        public ValueTask<IdempotencyRecord?> FindKeyAsync(CustomerId member, string key, CancellationToken cancellationToken = default) => _inner.FindKeyAsync(member, key, cancellationToken);

        public async ValueTask<IReadOnlyList<LedgerEntry>> ReadAsync(CustomerId member, long afterSequence, CancellationToken cancellationToken = default)
        {
            var entries = await _inner.ReadAsync(member, afterSequence, cancellationToken);
            return Overdraw && afterSequence == 0 ? [Broken(entries[0].Points), .. entries.Skip(1)] : entries;
        }

        public ValueTask<AppendResult> AppendAsync(CustomerId member, long expectedVersion, IdempotencyRecord record, LedgerEntry? entry, CancellationToken cancellationToken = default) =>
            _inner.AppendAsync(member, expectedVersion, record, entry, cancellationToken);

        public IAsyncEnumerable<CustomerId> MembersAsync(CancellationToken cancellationToken = default) => _inner.MembersAsync(cancellationToken);
    }
}
