using System;
using System.Linq;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Testing;

namespace RetentionKit.Loyalty.Tests.Ledger;

public sealed class InMemoryLoyaltyLedgerStoreContractTests : LoyaltyLedgerStoreContract
{
    protected override ILoyaltyLedgerStore CreateStore() => new InMemoryLoyaltyLedgerStore();

    [Fact]
    public async Task Reads_OutsideTheirRange_ThrowNamingTheIndex()
    {
        var store = new InMemoryLoyaltyLedgerStore();
        var member = new CustomerId("ana");
        var entry = new LedgerEntry { Member = member, Sequence = 1, IdempotencyKey = "k1", Kind = PostingKind.Earn, Points = 5, Counterparty = SystemAccount.Issued, At = Instant.FromUtc(2026, 1, 1, 0, 0) };
        await store.AppendAsync(member, 0, new IdempotencyRecord("k1", RequestFingerprint.Of(entry), PostingStatus.Posted, 1), entry);

        var read = await store.ReadAsync(member, 0);

        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => read[1]).ParamName);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => read[-1]).ParamName);
        Assert.Equal([entry], read.ToArray());
        Assert.True((await store.ReadAsync(member, 5)).Count == 0, "a read after the end holds nothing");
    }

    [Fact]
    public async Task Guards_NameTheArgument_AndWriteNothing()
    {
        var store = new InMemoryLoyaltyLedgerStore();
        var member = new CustomerId("ana");
        var entry = new LedgerEntry { Member = member, Sequence = 1, IdempotencyKey = "k1", Kind = PostingKind.Earn, Points = 5, Counterparty = SystemAccount.Issued, At = Instant.FromUtc(2026, 1, 1, 0, 0) };
        var record = new IdempotencyRecord("k1", RequestFingerprint.Of(entry), PostingStatus.Posted, 1);

        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.FindKeyAsync(member, null!))).ParamName);
        Assert.Equal("afterSequence", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.ReadAsync(member, -1))).ParamName);
        Assert.Equal("record", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.AppendAsync(member, 0, default, entry))).ParamName);
        Assert.Equal("expectedVersion", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.AppendAsync(member, -1, record, entry))).ParamName);
        var rejection = await Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendAsync(member, 0, record, null));
        Assert.Equal("record", rejection.ParamName);
        Assert.StartsWith("A record without an entry (a rejection) must not name a sequence.", rejection.Message, StringComparison.Ordinal);
        var mismatch = await Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendAsync(member, 1, record, entry));
        Assert.Equal("entry", mismatch.ParamName);
        Assert.StartsWith("The entry (member ana, sequence 1, key 'k1') must belong to member ana, follow version 1 and carry the record's key 'k1' and sequence.", mismatch.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ReadAsync(member, 0));
        Assert.Null(await store.FindKeyAsync(member, "k1"));
    }

    [Fact]
    public async Task Members_StopWhenCancelled()
    {
        var store = new InMemoryLoyaltyLedgerStore();
        var member = new CustomerId("ana");
        var entry = new LedgerEntry { Member = member, Sequence = 1, IdempotencyKey = "k1", Kind = PostingKind.Earn, Points = 5, Counterparty = SystemAccount.Issued, At = Instant.FromUtc(2026, 1, 1, 0, 0) };
        await store.AppendAsync(member, 0, new IdempotencyRecord("k1", RequestFingerprint.Of(entry), PostingStatus.Posted, 1), entry);
        using var cancelled = new System.Threading.CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in store.MembersAsync(cancelled.Token))
            {
            }
        });
    }
}
