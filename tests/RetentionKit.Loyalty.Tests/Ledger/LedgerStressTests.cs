using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NodaTime.Testing;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Tests.Ledger;

/// <summary>
/// Exactly once under concurrency (LI-5): 8 threads × 2,000 operations on 4 members through two ledger instances that
/// share one store, drawing from a shared pool of keys so that many callers post the same request at once. Every key
/// ends up posted at most once, every caller of a key gets the same answer, and the balances are exact.
/// </summary>
[Trait("Category", "Stress")]
public class LedgerStressTests
{
    public const int Threads = 8;
    public const int OperationsPerThread = 2_000;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SharedKeys_ManyWriters_TwoInstances_ExactTotals(bool throughInterface)
    {
        ILoyaltyLedgerStore store = throughInterface ? new PassThroughStore() : new InMemoryLoyaltyLedgerStore();
        var clock = new FakeClock(LedgerFixture.Start);
        var options = new LoyaltyOptions { PointsExpireAfterDays = 0 };
        LoyaltyLedger[] ledgers = [new(store, clock, options), new(store, clock, options)];
        CustomerId[] members = [.. Enumerable.Range(0, 4).Select(i => new CustomerId($"m{i}"))];
        var answers = new ConcurrentDictionary<(CustomerId, string), ConcurrentBag<(PostingStatus, long?)>>();
        static long EarnPoints(int k) => 10 + (k % 7);
        static long RedeemPoints(int k) => 25 + (k % 11);

        using var start = new ManualResetEventSlim(false);
        var workers = Enumerable.Range(0, Threads).Select(t => Task.Run(async () =>
        {
            var random = new Random(1000 + t);
            var ledger = ledgers[t % 2];
            start.Wait();
            for (var i = 0; i < OperationsPerThread; i++)
            {
                var member = members[random.Next(members.Length)];
                var k = random.Next(600); // a small pool: keys are shared between threads
                var redeem = random.Next(3) == 0;
                var key = redeem ? $"r{k}" : $"e{k}";
                var result = redeem
                    ? await ledger.RedeemAsync(member, RedeemPoints(k), key, "reward")
                    : await ledger.EarnAsync(member, EarnPoints(k), key, "activity");
                answers.GetOrAdd((member, key), _ => []).Add((result.Status, result.Entry?.Sequence));
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(workers);

        Assert.Equal(Threads * OperationsPerThread, answers.Values.Sum(b => b.Count));
        Assert.All(answers, pair => Assert.Single(pair.Value.Distinct())); // every caller of a key got the same answer
        foreach (var member in members)
        {
            var history = await ledgers[0].GetHistoryAsync(member);
            Assert.Equal(history.Count, history.Select(e => e.IdempotencyKey).Distinct().Count()); // no key posted twice
            var earned = answers.Keys.Where(a => a.Item1 == member && a.Item2.StartsWith('e')).Sum(a => EarnPoints(int.Parse(a.Item2[1..], System.Globalization.CultureInfo.InvariantCulture)));
            var redeemed = answers.Where(a => a.Key.Item1 == member && a.Key.Item2.StartsWith('r') && a.Value.First().Item1 == PostingStatus.Posted)
                .Sum(a => RedeemPoints(int.Parse(a.Key.Item2[1..], System.Globalization.CultureInfo.InvariantCulture)));
            var account = await ledgers[1].GetAccountAsync(member);
            Assert.Equal(earned - redeemed, account.Balance);
            Assert.Equal(earned, account.QualifyingPoints);
            Assert.Equal(account, LoyaltyLedger.Replay(member, history), AccountComparer.Instance);
            Assert.Equal(account, await ledgers[0].GetAccountAsync(member), AccountComparer.Instance);
        }
    }
}
