using System;
using System.Linq;
using System.Threading.Tasks;
using NodaTime;
using Xunit;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Testing;

/// <summary>
/// What every <see cref="ILoyaltyLedgerStore"/> must do (LI-13). A store implementation derives a test class from this
/// one and supplies <see cref="CreateStore"/>; RetentionKit runs it against its in-memory and database stores.
/// </summary>
public abstract class LoyaltyLedgerStoreContract
{
    private static readonly CustomerId Ana = new("ana");
    private static readonly Instant At = Instant.FromUtc(2026, 1, 1, 0, 0);

    /// <summary>Creates an empty store for one test.</summary>
    /// <returns>The store under test.</returns>
    protected abstract ILoyaltyLedgerStore CreateStore();

    private static LedgerEntry Earn(long sequence, string key, long points = 10) => new()
    {
        Member = Ana, Sequence = sequence, IdempotencyKey = key, Kind = PostingKind.Earn, Points = points, Counterparty = SystemAccount.Issued, At = At,
    };

    private static IdempotencyRecord Posted(LedgerEntry entry) => new(entry.IdempotencyKey, new RequestFingerprint(entry.Kind, entry.Points, entry.Reverses, "fp-" + entry.IdempotencyKey, null), PostingStatus.Posted, entry.Sequence);

    /// <summary>Append, at the expected version, adds the entry and the key.</summary>
    [ContractFact]
    public async Task Append_AtTheExpectedVersion_AddsTheEntryAndTheKey()
    {
        var store = CreateStore();
        var entry = Earn(1, "k1");

        var result = await store.AppendAsync(Ana, 0, Posted(entry), entry);

        Assert.Equal(new AppendResult(AppendStatus.Appended, 1, null), result);
        Assert.Equal(Posted(entry), await store.FindKeyAsync(Ana, "k1"));
        Assert.Equal([entry], await store.ReadAsync(Ana, 0));
        Assert.Empty(await store.ReadAsync(Ana, 1));
    }

    /// <summary>Many entries, read back in order, from any point.</summary>
    [ContractFact]
    public async Task ManyEntries_ReadBackInOrder_FromAnyPoint()
    {
        var store = CreateStore();
        var entries = Enumerable.Range(1, 130).Select(i => Earn(i, $"k{i}", points: i) with { Reason = $"r{i}", Reference = i % 2 == 0 ? $"ref{i}" : null, ExpiresAt = At + Duration.FromDays(i) }).ToArray();
        foreach (var entry in entries)
        {
            Assert.Equal(AppendStatus.Appended, (await store.AppendAsync(Ana, entry.Sequence - 1, Posted(entry), entry)).Status);
        }

        foreach (var after in new[] { 0, 1, 7, 8, 9, 23, 24, 25, 56, 120, 129 })
        {
            var read = await store.ReadAsync(Ana, after);
            Assert.Equal(entries[after..], read);
            Assert.Equal(entries[after], read[0]);
            Assert.Equal(entries[^1], read[read.Count - 1]);
        }

        Assert.Empty(await store.ReadAsync(Ana, 130));
        Assert.Equal(Posted(entries[99]), await store.FindKeyAsync(Ana, "k100"));
    }

    /// <summary>Entries, keep every field, to the nanosecond, before and after1970.</summary>
    [ContractFact]
    public async Task Entries_KeepEveryField_ToTheNanosecond_BeforeAndAfter1970()
    {
        var store = CreateStore();
        LedgerEntry[] entries =
        [
            Earn(1, "k1", 5) with { At = Instant.FromUnixTimeTicks(-1) + Duration.FromNanoseconds(37), ExpiresAt = Instant.FromUtc(1900, 1, 1, 0, 0) + Duration.FromNanoseconds(1), Reference = "event 1" },
            Earn(2, "k2", 5) with { At = Instant.MinValue, ExpiresAt = Instant.MaxValue },
            new LedgerEntry
            {
                Member = Ana, Sequence = 3, IdempotencyKey = "k3", Kind = PostingKind.Reverse, Points = -3, Counterparty = SystemAccount.ClawedBack,
                At = At + Duration.FromNanoseconds(99), Reverses = 2, Shortfall = 2, Allocations = [new LotAllocation(2, 3)], Reason = "refund",
            },
            Earn(4, "k4", 1) with { Kind = PostingKind.Adjust, Counterparty = SystemAccount.Adjustments, Reverses = 0, At = At + Duration.FromNanoseconds(100) },
        ];
        foreach (var entry in entries)
        {
            await store.AppendAsync(Ana, entry.Sequence - 1, Posted(entry), entry);
        }

        Assert.Equal(entries, await store.ReadAsync(Ana, 0));
    }

    /// <summary>Aversion conflict, leaves the key free.</summary>
    [ContractFact]
    public async Task AVersionConflict_LeavesTheKeyFree()
    {
        var store = CreateStore();
        var first = Earn(1, "k1");
        await store.AppendAsync(Ana, 0, Posted(first), first);
        var stale = Earn(1, "k2");

        Assert.Equal(AppendStatus.VersionConflict, (await store.AppendAsync(Ana, 0, Posted(stale), stale)).Status);
        Assert.Null(await store.FindKeyAsync(Ana, "k2"));
        Assert.Equal(AppendStatus.Appended, (await store.AppendAsync(Ana, 1, Posted(Earn(2, "k2")), Earn(2, "k2"))).Status);
    }

    /// <summary>Aread taken before later appends, stays as it was.</summary>
    [ContractFact]
    public async Task AReadTakenBeforeLaterAppends_StaysAsItWas()
    {
        var store = CreateStore();
        for (var i = 1; i <= 8; i++)
        {
            await store.AppendAsync(Ana, i - 1, Posted(Earn(i, $"k{i}")), Earn(i, $"k{i}"));
        }

        var before = await store.ReadAsync(Ana, 6);
        for (var i = 9; i <= 40; i++)
        {
            await store.AppendAsync(Ana, i - 1, Posted(Earn(i, $"k{i}")), Earn(i, $"k{i}"));
        }

        Assert.Equal([7L, 8L], before.Select(e => e.Sequence));
    }

    /// <summary>Records, that their entry implies, and those it does not, both come back equal.</summary>
    [ContractFact]
    public async Task Records_ThatTheirEntryImplies_AndThoseItDoesNot_BothComeBackEqual()
    {
        var store = CreateStore();
        var earn = Earn(1, "k1");
        var implied = new IdempotencyRecord("k1", RequestFingerprint.Of(earn), PostingStatus.Posted, 1);
        var reversal = Earn(2, "k2") with { Kind = PostingKind.Reverse, Points = -10, Reverses = 1, Counterparty = SystemAccount.ClawedBack };
        var all = new IdempotencyRecord("k2", new RequestFingerprint(PostingKind.Reverse, 0, 1, string.Empty, null), PostingStatus.Posted, 2);

        await store.AppendAsync(Ana, 0, implied, earn);
        await store.AppendAsync(Ana, 1, all, reversal);

        Assert.True(implied.IsImpliedBy(earn));
        Assert.False(all.IsImpliedBy(reversal));
        Assert.Equal(implied, await store.FindKeyAsync(Ana, "k1"));
        Assert.Equal(all, await store.FindKeyAsync(Ana, "k2"));
        Assert.Equal(implied, (await store.AppendAsync(Ana, 2, implied with { Sequence = 3 }, Earn(3, "k1"))).Existing);
        Assert.Equal("Earn|10|||", implied.Fingerprint.ToString());
    }

    /// <summary>Append, key already used, writes nothing and returns the first record, whatever the version.</summary>
    [ContractFact]
    public async Task Append_KeyAlreadyUsed_WritesNothingAndReturnsTheFirstRecord_WhateverTheVersion()
    {
        var store = CreateStore();
        var first = Earn(1, "k1");
        await store.AppendAsync(Ana, 0, Posted(first), first);
        var again = Earn(2, "k1", points: 99);

        var atCurrent = await store.AppendAsync(Ana, 1, Posted(again), again);
        var atStale = await store.AppendAsync(Ana, 0, Posted(Earn(1, "k1", 5)), Earn(1, "k1", 5));

        Assert.Equal(new AppendResult(AppendStatus.KeyExists, 1, Posted(first)), atCurrent);
        Assert.Equal(AppendStatus.KeyExists, atStale.Status);
        Assert.Single(await store.ReadAsync(Ana, 0));
    }

    /// <summary>Append, at astale version, is aconflict, and writes nothing.</summary>
    [ContractFact]
    public async Task Append_AtAStaleVersion_IsAConflict_AndWritesNothing()
    {
        var store = CreateStore();
        var first = Earn(1, "k1");
        await store.AppendAsync(Ana, 0, Posted(first), first);
        var late = Earn(1, "k2");

        var result = await store.AppendAsync(Ana, 0, Posted(late), late);

        Assert.Equal(new AppendResult(AppendStatus.VersionConflict, 1, null), result);
        Assert.Null(await store.FindKeyAsync(Ana, "k2"));
        Assert.Single(await store.ReadAsync(Ana, 0));
    }

    /// <summary>Append, arejection, records only the key, and is conditional too.</summary>
    [ContractFact]
    public async Task Append_ARejection_RecordsOnlyTheKey_AndIsConditionalToo()
    {
        var store = CreateStore();
        var rejection = new IdempotencyRecord("r1", new RequestFingerprint(PostingKind.Redeem, -5, null, "fp", null), PostingStatus.InsufficientPoints, null);

        Assert.Equal(AppendStatus.Appended, (await store.AppendAsync(Ana, 0, rejection, null)).Status);
        Assert.Equal(rejection, await store.FindKeyAsync(Ana, "r1"));
        Assert.Empty(await store.ReadAsync(Ana, 0));
        Assert.Equal(AppendStatus.VersionConflict, (await store.AppendAsync(Ana, 3, rejection with { Key = "r2" }, null)).Status);
    }

    /// <summary>Append, entry that does not follow, is refused.</summary>
    [ContractFact]
    public async Task Append_EntryThatDoesNotFollow_IsRefused()
    {
        var store = CreateStore();

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendAsync(Ana, 0, Posted(Earn(2, "k1")), Earn(2, "k1")));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendAsync(new CustomerId("bo"), 0, Posted(Earn(1, "k1")), Earn(1, "k1")));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendAsync(Ana, 0, Posted(Earn(1, "k1")) with { Key = "other" }, Earn(1, "k1")));
        Assert.Empty(await store.ReadAsync(Ana, 0));
    }

    /// <summary>Members, are listed once, and keys and entries are per member.</summary>
    [ContractFact]
    public async Task Members_AreListedOnce_AndKeysAndEntriesArePerMember()
    {
        var store = CreateStore();
        var bo = new CustomerId("bo");
        var a1 = Earn(1, "k1");
        var b1 = a1 with { Member = bo };
        await store.AppendAsync(Ana, 0, Posted(a1), a1);
        await store.AppendAsync(bo, 0, Posted(b1), b1);
        var a2 = Earn(2, "k2");
        await store.AppendAsync(Ana, 1, Posted(a2), a2);

        var members = await store.MembersAsync().ToListAsync();

        Assert.Equal(new[] { "ana", "bo" }, members.Select(m => m.Value).Order());
        Assert.Equal([a2], await store.ReadAsync(Ana, 1));
        Assert.Equal([b1], await store.ReadAsync(bo, 0));
        Assert.Null(await store.FindKeyAsync(bo, "k2"));
    }

    /// <summary>Concurrent appends, at one version, exactly one wins.</summary>
    [ContractFact]
    public async Task ConcurrentAppends_AtOneVersion_ExactlyOneWins()
    {
        var store = CreateStore();
        var tasks = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            var entry = Earn(1, $"k{i}");
            return await store.AppendAsync(Ana, 0, Posted(entry), entry);
        })).ToArray();

        var results = await Task.WhenAll(tasks);

        Assert.Single(results, r => r.Status == AppendStatus.Appended);
        Assert.Equal(15, results.Count(r => r.Status == AppendStatus.VersionConflict));
        Assert.Single(await store.ReadAsync(Ana, 0));
    }

    /// <summary>A batch decides each append on its own (key first, then version) and writes the appended ones.</summary>
    [ContractFact]
    public async Task AppendBatch_DecidesEachAppendOnItsOwn()
    {
        var store = CreateStore();
        var bo = new CustomerId("bo");
        var a1 = Earn(1, "k1");
        var a1Again = Earn(1, "k1", points: 99);
        var stale = Earn(1, "k-stale");
        var a2 = Earn(2, "k2");
        var b1 = Earn(1, "k1") with { Member = bo };

        var results = await store.AppendBatchAsync(
        [
            new LedgerAppend(Ana, 0, Posted(a1), a1),
            new LedgerAppend(Ana, 0, Posted(a1Again), a1Again),
            new LedgerAppend(Ana, 0, Posted(stale), stale),
            new LedgerAppend(Ana, 1, Posted(a2), a2),
            new LedgerAppend(bo, 0, Posted(b1), b1),
        ]);

        Assert.Equal(
            [new AppendResult(AppendStatus.Appended, 1, null), new AppendResult(AppendStatus.KeyExists, 1, Posted(a1)), new AppendResult(AppendStatus.VersionConflict, 1, null), new AppendResult(AppendStatus.Appended, 2, null), new AppendResult(AppendStatus.Appended, 1, null)],
            results);
        Assert.Equal([a1, a2], await store.ReadAsync(Ana, 0));
        Assert.Equal([b1], await store.ReadAsync(bo, 0));
        Assert.Null(await store.FindKeyAsync(Ana, "k-stale"));
        Assert.Empty(await store.AppendBatchAsync([]));
    }

    /// <summary>A batch with one append that breaks a rule is refused whole, naming its position: nothing is written.</summary>
    [ContractFact]
    public async Task AppendBatch_OneBadAppend_WritesNothing()
    {
        var store = CreateStore();
        var good = Earn(1, "k1");
        var bad = Earn(5, "k2");

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendBatchAsync([new LedgerAppend(Ana, 0, Posted(good), good), new LedgerAppend(Ana, 1, Posted(bad), bad)]));

        Assert.Equal("appends", error.ParamName);
        Assert.Contains("appends[1]", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.FindKeyAsync(Ana, "k1"));
        Assert.Empty(await store.ReadAsync(Ana, 0));
    }

    /// <summary>Reading many members at once gives what reading each one gives, in the order asked.</summary>
    [ContractFact]
    public async Task ReadMany_GivesWhatEachReadGives_InOrder()
    {
        var store = CreateStore();
        var bo = new CustomerId("bo");
        var a1 = Earn(1, "k1");
        var a2 = Earn(2, "k2");
        var b1 = Earn(1, "k1") with { Member = bo };
        await store.AppendAsync(Ana, 0, Posted(a1), a1);
        await store.AppendAsync(Ana, 1, Posted(a2), a2);
        await store.AppendAsync(bo, 0, Posted(b1), b1);

        var read = await store.ReadManyAsync([new LedgerRead(bo, 0), new LedgerRead(Ana, 1), new LedgerRead(new CustomerId("nobody"), 0), new LedgerRead(Ana, 0)]);

        Assert.Equal(4, read.Count);
        Assert.Equal([b1], read[0]);
        Assert.Equal([a2], read[1]);
        Assert.Empty(read[2]);
        Assert.Equal([a1, a2], read[3]);
        Assert.Empty(await store.ReadManyAsync([]));
    }
}
