using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Tests.Ledger;

/// <summary>EarnManyAsync: many members' earns in few commits, each exactly as EarnAsync would post it, on both paths.</summary>
public sealed class EarnManyTests
{
    private static readonly CustomerId Ana = new("ana");
    private static readonly CustomerId Bo = new("bo");

    private static LedgerFixture Fixture(bool throughStore) => new(store: throughStore ? new PassThroughStore() : null);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EarnMany_PostsEveryRequest_InTheOrderGivenPerMember(bool throughStore)
    {
        var f = Fixture(throughStore);

        var results = await f.Ledger.EarnManyAsync([new(Ana, 10, "k1", "usage"), new(Bo, 5, "k1", "usage"), new(Ana, 20, "k2", "usage", "ref")]);

        Assert.All(results, r => Assert.Equal(PostingStatus.Posted, r.Status));
        Assert.All(results, r => Assert.False(r.Replayed));
        Assert.Equal([1L, 1L, 2L], results.Select(r => r.Entry!.Sequence));
        Assert.Equal([10L, 5L, 30L], results.Select(r => r.Balance));
        Assert.Equal("ref", results[2].Entry!.Reference);
        Assert.Equal(30, await f.Ledger.GetBalanceAsync(Ana));
        Assert.Equal([10L, 20L], (await f.Ledger.GetHistoryAsync(Ana)).Select(e => e.Points));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EarnMany_Again_ReplaysEveryRequest_AndWritesNothing(bool throughStore)
    {
        var f = Fixture(throughStore);
        EarnRequest[] day = [new(Ana, 10, "d1", "usage"), new(Bo, 5, "d1", "usage")];
        var first = await f.Ledger.EarnManyAsync(day);

        var again = await new LoyaltyLedger(f.Store, f.Clock, new LoyaltyOptions()).EarnManyAsync(day);

        Assert.All(again, r => Assert.True(r.Replayed));
        Assert.Equal(first.Select(r => r.Entry), again.Select(r => r.Entry));
        Assert.Single(await f.Ledger.GetHistoryAsync(Ana));
        Assert.Single(await f.Ledger.GetHistoryAsync(Bo));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EarnMany_OneBadRequest_IsNamed_AndNothingIsWritten(bool throughStore)
    {
        var f = Fixture(throughStore);

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await f.Ledger.EarnManyAsync([new(Ana, 10, "k1", "usage"), new(Bo, 0, "k1", "usage")]));

        Assert.Equal("requests", error.ParamName);
        Assert.Contains("requests[1]", error.Message, StringComparison.Ordinal);
        Assert.Empty(await f.Ledger.GetHistoryAsync(Ana));
        Assert.Equal("requests", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await f.Ledger.EarnManyAsync(null!))).ParamName);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EarnMany_KeyUsedForAnotherRequest_Throws_AfterPostingEveryOtherRequest(bool throughStore)
    {
        var f = Fixture(throughStore);
        await f.Ledger.EarnAsync(Ana, 10, "k1", "usage");

        var error = await Assert.ThrowsAsync<IdempotencyConflictException>(async () => await f.Ledger.EarnManyAsync([new(Ana, 99, "k1", "usage"), new(Bo, 5, "k1", "usage"), new(Ana, 7, "k2", "usage")]));

        Assert.Equal("k1", error.Key);
        Assert.Equal(17, await f.Ledger.GetBalanceAsync(Ana));
        Assert.Equal(5, await f.Ledger.GetBalanceAsync(Bo));
    }

    [Fact]
    public async Task EarnMany_AfterAnotherInstanceMovedTheMemberOn_DecidesAgainOnTheNewState()
    {
        var f = Fixture(throughStore: true);
        Assert.Equal(0, await f.Ledger.GetBalanceAsync(Ana)); // this instance has Ana cached at version 0
        var other = new LoyaltyLedger(f.Store, f.Clock, new LoyaltyOptions());
        await other.EarnAsync(Ana, 100, "elsewhere", "usage");

        var results = await f.Ledger.EarnManyAsync([new(Ana, 10, "k1", "usage"), new(Bo, 1, "k1", "usage")]);

        Assert.Equal(2, results[0].Entry!.Sequence);
        Assert.Equal(110, results[0].Balance);
        Assert.Equal([1L, 2L], (await f.Ledger.GetHistoryAsync(Ana)).Select(e => e.Sequence));
    }

    /// <summary>Requests: member 0–3, key 0–5; a key's points follow from it, so a repeated key is a retry, not a conflict.</summary>
    public static class Batches
    {
        public static Arbitrary<(int Member, int Key)[]> All() =>
            Gen.Zip(Gen.Choose(0, 3), Gen.Choose(0, 5)).Select(t => (t.Item1, t.Item2)).ArrayOf().ToArbitrary();
    }

    /// <summary>Property: a batch (through a store) leaves every member with exactly the log that posting the same requests one by one leaves.</summary>
    [Property(Arbitrary = [typeof(Batches)], MaxTest = 150)]
    public bool EarnMany_EqualsPostingOneByOne((int Member, int Key)[] picks)
    {
        var requests = picks.Select(p => new EarnRequest(new CustomerId($"m{p.Member}"), (p.Member * 10) + p.Key + 1, $"k{p.Key}", "usage")).ToList();
        var batch = Fixture(throughStore: true);
        var single = Fixture(throughStore: false);

        var batched = batch.Ledger.EarnManyAsync(requests).AsTask().GetAwaiter().GetResult();
        var oneByOne = new List<PostingResult>();
        foreach (var r in requests)
        {
            oneByOne.Add(single.Ledger.EarnAsync(r.Member, r.Points, r.IdempotencyKey, r.Reason).AsTask().GetAwaiter().GetResult());
        }

        return batched.SequenceEqual(oneByOne)
            && requests.Select(r => r.Member).Distinct().All(m =>
                batch.Ledger.GetHistoryAsync(m).AsTask().GetAwaiter().GetResult().SequenceEqual(single.Ledger.GetHistoryAsync(m).AsTask().GetAwaiter().GetResult()));
    }
}
