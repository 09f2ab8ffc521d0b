using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Tests.Ledger;

/// <summary>The ledger at its edges: overflow of the tier basis, counterparties, expiry keys and order, odd logs, guards and messages.</summary>
public abstract class LedgerEdgeTests
{
    private static readonly CustomerId Ana = LedgerFixture.Ana;

    [Fact]
    public async Task QualifyingOverflow_Throws_BeforeAnythingIsWritten()
    {
        var f = NewFixture();
        await f.Ledger.EarnAsync(Ana, long.MaxValue, "e1", "jackpot");
        await f.Ledger.RedeemAsync(Ana, 10, "r1", "reward");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("points", async () => await f.Ledger.EarnAsync(Ana, 10, "e2", "one more"));
        var adjusted = await f.Ledger.AdjustAsync(Ana, 10, "a1", "goodwill"); // adjustments do not count towards tiers

        Assert.Equal(3, (await f.Ledger.GetHistoryAsync(Ana)).Count);
        Assert.Equal((long.MaxValue, long.MaxValue), (adjusted.Balance, (await f.Ledger.GetAccountAsync(Ana)).QualifyingPoints));
    }

    [Fact]
    public async Task Adjustments_PostAgainstTheAdjustmentsAccount_BothWays()
    {
        var f = NewFixture();
        var credit = (await f.Ledger.AdjustAsync(Ana, 50, "a1", "goodwill")).Entry!;
        var debit = (await f.Ledger.AdjustAsync(Ana, -20, "a2", "correction")).Entry!;
        var earn = (await f.Ledger.EarnAsync(Ana, 5, "e1", "daily use")).Entry!;
        var redeem = (await f.Ledger.RedeemAsync(Ana, 5, "r1", "reward")).Entry!;

        Assert.Equal(
            [(SystemAccount.Adjustments, true), (SystemAccount.Adjustments, false), (SystemAccount.Issued, true), (SystemAccount.Redeemed, false)],
            new[] { credit, debit, earn, redeem }.Select(e => (e.Counterparty, e.OpensLot)));
        Assert.Equal([-50L, 20L, -5L, 5L], new[] { credit, debit, earn, redeem }.Select(e => e.CounterpartyPoints));
    }

    [Fact]
    public async Task Expiry_TakesLotsEarliestFirst_KeyedByLotAndRound()
    {
        var f = NewFixture(expireAfterDays: 30);
        await f.Ledger.EarnAsync(Ana, 10, "e1", "daily use");
        f.AdvanceDays(1);
        await f.Ledger.EarnAsync(Ana, 20, "e2", "daily use");
        await f.Ledger.RedeemAsync(Ana, 10, "r1", "reward"); // empties lot 1
        f.AdvanceDays(40);

        var first = await f.Ledger.ExpireAsync(Ana);
        await f.Ledger.ReverseAsync(Ana, 3, null, "undo-r1", "order cancelled"); // gives lot 1 its points back
        var second = await f.Ledger.ExpireAsync(Ana);

        Assert.Equal([("~expire:2:1", -20L, "expired")], first.Select(e => (e.IdempotencyKey, e.Points, e.Reason)));
        Assert.Equal([("~expire:1:1", -10L)], second.Select(e => (e.IdempotencyKey, e.Points)));
        Assert.Equal(0, await f.Ledger.GetBalanceAsync(Ana));
    }

    [Fact]
    public async Task Expiry_OfSeveralLots_PostsThemInExpiryOrder()
    {
        var f = NewFixture(expireAfterDays: 30);
        await f.Ledger.EarnAsync(Ana, 10, "e1", "daily use");
        f.AdvanceDays(1);
        await f.Ledger.EarnAsync(Ana, 20, "e2", "daily use");
        f.AdvanceDays(1);
        await f.Ledger.EarnAsync(Ana, 30, "e3", "daily use");
        f.AdvanceDays(60);

        var expired = await f.Ledger.ExpireAsync(Ana);

        Assert.Equal([1L, 2L, 3L], expired.Select(e => e.Allocations.Single().Lot));
        Assert.Equal(["~expire:1:1", "~expire:2:1", "~expire:3:1"], expired.Select(e => e.IdempotencyKey));
    }

    [Fact]
    public async Task ALotRefilledAfterItExpired_ExpiresAgain_UnderItsSecondKey()
    {
        var f = NewFixture(expireAfterDays: 30);
        await f.Ledger.EarnAsync(Ana, 10, "e1", "daily use");
        await f.Ledger.RedeemAsync(Ana, 4, "r1", "reward");
        f.AdvanceDays(31);
        await f.Ledger.ExpireAsync(Ana); // lot 1: 6 expire
        await f.Ledger.ReverseAsync(Ana, 2, null, "undo-r1", "order cancelled"); // lot 1 gets 4 back, already past its date

        var again = await f.Ledger.ExpireAsync(Ana);

        Assert.Equal([("~expire:1:2", -4L)], again.Select(e => (e.IdempotencyKey, e.Points)));
    }

    [Fact]
    public async Task EntryTimes_NeverGoBackBehindTheLatestEntry_EvenWhenTheLogIsOutOfOrder()
    {
        var store = new InMemoryLoyaltyLedgerStore();
        var start = LedgerFixture.Start;
        LedgerEntry Earn(long sequence, Instant at) => new()
        {
            Member = Ana, Sequence = sequence, IdempotencyKey = $"e{sequence}", Kind = PostingKind.Earn, Points = 1, Counterparty = SystemAccount.Issued, At = at,
        };

        foreach (var e in new[] { Earn(1, start + Duration.FromDays(5)), Earn(2, start) })
        {
            await store.AppendAsync(Ana, e.Sequence - 1, new IdempotencyRecord(e.IdempotencyKey, RequestFingerprint.Of(e), PostingStatus.Posted, e.Sequence), e);
        }

        var f = NewFixture(store: store);
        f.AdvanceDays(1);

        var posted = (await f.Ledger.EarnAsync(Ana, 1, "e3", "daily use")).Entry!;

        Assert.Equal(start + Duration.FromDays(5), posted.At);
    }

    [Fact]
    public async Task AStoreThatForgetsARecordedEntry_IsReportedAsABug()
    {
        var store = new ForgetfulStore();
        var f = NewFixture(store: store);
        await f.Ledger.RedeemAsync(Ana, 10, "r1", "reward"); // a rejection: no entry
        await f.Ledger.EarnAsync(Ana, 10, "e1", "daily use");
        store.Forget = true;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await f.Ledger.EarnAsync(Ana, 10, "e1", "daily use"));

        Assert.Equal("The store recorded key 'e1' of member ana with entry 1, but has no such entry.", error.Message);
        Assert.Equal(PostingStatus.InsufficientPoints, (await f.Ledger.RedeemAsync(Ana, 10, "r1", "reward")).Status);
    }

    [Fact]
    public async Task Guards_NameTheArgument_AndSayTheRule()
    {
        var f = NewFixture();
        var ledger = f.Ledger;
        var noOne = default(CustomerId);

        Assert.Equal("clock", Assert.Throws<ArgumentNullException>(() => new LoyaltyLedger(f.Store, null!, new LoyaltyOptions())).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new LoyaltyLedger(f.Store, f.Clock, null!)).ParamName);
        Assert.Equal("entries", Assert.Throws<ArgumentNullException>(() => LoyaltyLedger.Replay(Ana, null!)).ParamName);
        foreach (var call in new Func<Task>[]
        {
            async () => await ledger.RedeemAsync(noOne, 1, "k", "r"),
            async () => await ledger.AdjustAsync(noOne, 1, "k", "r"),
            async () => await ledger.ReverseAsync(noOne, 1, null, "k", "r"),
            async () => await ledger.GetAccountAsync(noOne, f.Clock.GetCurrentInstant()),
            async () => await ledger.GetHistoryAsync(noOne),
            async () => await ledger.ExpireAsync(noOne),
        })
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(call);
            Assert.Equal("member", error.ParamName);
            Assert.StartsWith("The member must be a real customer id, not default.", error.Message, StringComparison.Ordinal);
        }

        var key = await Assert.ThrowsAsync<ArgumentException>(async () => await ledger.AdjustAsync(Ana, 1, "~mine", "r"));
        Assert.Equal("idempotencyKey", key.ParamName);
        Assert.StartsWith("An idempotency key has at most 200 characters and does not start with '~' (the ledger's own keys).", key.Message, StringComparison.Ordinal);
        Assert.Equal("idempotencyKey", (await Assert.ThrowsAsync<ArgumentException>(async () => await ledger.ReverseAsync(Ana, 1, null, " ", "r"))).ParamName);
        Assert.StartsWith("Points must be at least 1.", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await ledger.EarnAsync(Ana, 0, "k", "r"))).Message, StringComparison.Ordinal);
        Assert.StartsWith("An adjustment must change the balance.", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await ledger.AdjustAsync(Ana, 0, "k", "r"))).Message, StringComparison.Ordinal);

        var longest = new string('k', LoyaltyLedger.MaxKeyLength);
        Assert.True((await ledger.EarnAsync(Ana, 1, longest, "r")).IsPosted);
        Assert.Empty(await ledger.GetHistoryAsync(new CustomerId("nobody")));
    }

    [Fact]
    public void LedgerConcurrencyException_NamesTheKeyAndTheMember()
    {
        var error = new LedgerConcurrencyException(Ana, "k1", 16);

        Assert.Equal("Posting 'k1' for member ana lost the race to other writers 16 times; nothing was written. Retry with the same key.", error.Message);
        Assert.Equal((Ana, "k1"), (error.Member, error.Key));
    }

    [Fact]
    public void OnlyPostedNonReversalEntries_ImplyTheirRecord()
    {
        var entry = new LedgerEntry { Member = Ana, Sequence = 1, IdempotencyKey = "k1", Kind = PostingKind.Earn, Points = 5, Counterparty = SystemAccount.Issued, At = LedgerFixture.Start };
        var record = new IdempotencyRecord("k1", RequestFingerprint.Of(entry), PostingStatus.Posted, 1);

        Assert.True(record.IsImpliedBy(entry));
        Assert.False(record.IsImpliedBy(null));
        Assert.False((record with { Status = PostingStatus.InsufficientPoints }).IsImpliedBy(entry));
        Assert.False((record with { Sequence = 2 }).IsImpliedBy(entry));
        Assert.False((record with { Key = "k2" }).IsImpliedBy(entry));
        Assert.False(record.IsImpliedBy(entry with { Reason = "other" }));
        Assert.False(new IdempotencyRecord("k1", RequestFingerprint.Of(entry with { Kind = PostingKind.Reverse }), PostingStatus.Posted, 1).IsImpliedBy(entry with { Kind = PostingKind.Reverse }));
    }

    /// <summary>A store that, when told to, reads nothing: a record whose entry has gone.</summary>
    private sealed class ForgetfulStore : ILoyaltyLedgerStore
    {
        private readonly InMemoryLoyaltyLedgerStore _inner = new();

        public bool Forget { get; set; }

        public ValueTask<IdempotencyRecord?> FindKeyAsync(CustomerId member, string key, CancellationToken cancellationToken = default) => _inner.FindKeyAsync(member, key, cancellationToken);

        public async ValueTask<IReadOnlyList<LedgerEntry>> ReadAsync(CustomerId member, long afterSequence, CancellationToken cancellationToken = default) =>
            Forget ? [] : await _inner.ReadAsync(member, afterSequence, cancellationToken);

        public ValueTask<AppendResult> AppendAsync(CustomerId member, long expectedVersion, IdempotencyRecord record, LedgerEntry? entry, CancellationToken cancellationToken = default) =>
            _inner.AppendAsync(member, expectedVersion, record, entry, cancellationToken);

        public IAsyncEnumerable<CustomerId> MembersAsync(CancellationToken cancellationToken = default) => _inner.MembersAsync(cancellationToken);
    }

    /// <summary>A fixture whose ledger takes the path this class tests, unless the test brings its own store.</summary>
    private protected abstract LedgerFixture NewFixture(int expireAfterDays = 365, ReversalShortfallPolicy shortfall = ReversalShortfallPolicy.TakeFromOtherPoints, ILoyaltyLedgerStore? store = null);

    /// <summary>The ledger on the in-memory store: decisions under the store's lock.</summary>
    public sealed class InMemoryPath : LedgerEdgeTests
    {
        private protected override LedgerFixture NewFixture(int expireAfterDays, ReversalShortfallPolicy shortfall, ILoyaltyLedgerStore? store) => new(expireAfterDays, shortfall, store);
    }

    /// <summary>The ledger on a store it knows only through the interface: its cache and optimistic appends.</summary>
    public sealed class ThroughInterface : LedgerEdgeTests
    {
        private protected override LedgerFixture NewFixture(int expireAfterDays, ReversalShortfallPolicy shortfall, ILoyaltyLedgerStore? store) => new(expireAfterDays, shortfall, store ?? new PassThroughStore());
    }
}
