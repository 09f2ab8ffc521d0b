using System;
using System.Linq;
using System.Threading.Tasks;
using NodaTime;
using NodaTime.Testing;
using RetentionKit.Loyalty;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Storage.Sqlite.Tests;

/// <summary>The ledger on SQLite: what a restart keeps (ST-1), and several instances on one file (ST-3, LI-5).</summary>
public sealed class DurableLedgerTests : IDisposable
{
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 1, 9, 0);
    private readonly TempDatabase _db = new();
    private readonly FakeClock _clock = new(Start);

    public void Dispose() => _db.Dispose();

    private LoyaltyLedger NewInstance() =>
        new(new SqliteLoyaltyLedgerStore(_db.Database()), _clock, new LoyaltyOptions { PointsExpireAfterDays = 30 });

    [Fact]
    public async Task ARestartedInstance_FindsEveryPosting_KeyAndExpiry()
    {
        var ana = new CustomerId("ana");
        var first = NewInstance();
        await first.EarnAsync(ana, 200, "e1", "welcome");
        _clock.AdvanceDays(20);
        await first.EarnAsync(ana, 50, "e2", "purchase");
        await first.RedeemAsync(ana, 30, "r1", "reward");
        var refused = await first.RedeemAsync(ana, 10_000, "r2", "too much");

        var second = NewInstance(); // a new process: nothing in memory
        _clock.AdvanceDays(15);

        Assert.Equal(PostingStatus.InsufficientPoints, refused.Status);
        Assert.Equal(50, await second.GetBalanceAsync(ana)); // the first lot's 170 lapsed on day 30, not posted yet
        Assert.True((await second.EarnAsync(ana, 200, "e1", "welcome")).Replayed);
        Assert.Equal(PostingStatus.InsufficientPoints, (await second.RedeemAsync(ana, 10_000, "r2", "too much")).Status); // LI-4 across processes
        await Assert.ThrowsAsync<IdempotencyConflictException>(async () => await second.EarnAsync(ana, 201, "e1", "welcome"));
        Assert.Single(await second.ExpireAsync(ana));
        var history = await second.GetHistoryAsync(ana);
        Assert.Equal([1L, 2L, 3L, 4L], history.Select(e => e.Sequence));
        Assert.Equal(LoyaltyLedger.Replay(ana, history).Balance, await NewInstance().GetBalanceAsync(ana));
    }

    [Fact]
    public async Task EarnMany_ADayForManyMembers_FromTwoInstances_PostsEachKeyOnce()
    {
        var day = Enumerable.Range(0, 500).Select(i => new EarnRequest(new CustomerId($"m{i % 200:D3}"), 1 + (i % 7), $"usage:2026-01-01:{i}", "daily usage")).ToList();

        var both = await Task.WhenAll(Task.Run(async () => await NewInstance().EarnManyAsync(day)), Task.Run(async () => await NewInstance().EarnManyAsync(day.AsEnumerable().Reverse().ToList())));

        var reader = NewInstance();
        Assert.Equal(day.Count, both[0].Count(r => !r.Replayed) + both[1].Count(r => !r.Replayed));
        foreach (var member in day.Select(r => r.Member).Distinct())
        {
            var history = await reader.GetHistoryAsync(member);
            Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.Sequence));
            Assert.Equal(day.Where(r => r.Member == member).Sum(r => r.Points), await reader.GetBalanceAsync(member));
        }
    }

    [Fact]
    [Trait("Category", "Stress")]
    public async Task FourInstancesOnOneFile_OverlappingKeys_EachKeyOnce_DenseSequences_NoOverdraw() => await Contend(instances: 4, operations: 400);

    [Fact]
    public async Task TwoInstancesOnOneFile_OverlappingKeys_EachKeyOnce_DenseSequences_NoOverdraw() => await Contend(instances: 2, operations: 120);

    private async Task Contend(int instances, int operations)
    {
        var members = Enumerable.Range(0, 3).Select(i => new CustomerId($"m{i}")).ToArray();
        var ledgers = Enumerable.Range(0, instances).Select(_ => NewInstance()).ToArray();

        // Every instance posts the same keys (retries from another instance) in its own order, earning and redeeming.
        await Task.WhenAll(ledgers.Select((ledger, l) => Task.Run(async () =>
        {
            var random = new Random(l);
            foreach (var i in Enumerable.Range(0, operations).OrderBy(_ => random.Next()))
            {
                var member = members[i % members.Length];
                _ = i % 3 == 0
                    ? await ledger.RedeemAsync(member, 25, $"r{i}", "reward")
                    : await ledger.EarnAsync(member, 10, $"e{i}", "use");
            }
        })));

        var reader = NewInstance();
        foreach (var member in members)
        {
            var history = await reader.GetHistoryAsync(member);
            Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.Sequence)); // dense
            Assert.Equal(history.Count, history.Select(e => e.IdempotencyKey).Distinct(StringComparer.Ordinal).Count()); // each key once
            var earns = Enumerable.Range(0, operations).Count(i => i % members.Length == Array.IndexOf(members, member) && i % 3 != 0);
            Assert.Equal(earns, history.Count(e => e.Kind == PostingKind.Earn));
            var account = LoyaltyLedger.Replay(member, history); // throws on an overdraw or any broken rule
            Assert.Equal(history.Sum(e => e.Points), account.Balance);
            Assert.True(account.Balance >= 0);
        }
    }
}
