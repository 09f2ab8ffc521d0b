using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using NodaTime;
using RetentionKit.Loyalty;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Storage.Tests;

namespace RetentionKit.Storage.Sqlite.Tests;

/// <summary>
/// ST-3 and LI-5 across operating-system processes: two processes post the same keys (overlapping retries) to the same
/// members of one SQLite file at the same time; every key is posted once, balances are exact, sequences dense, and no
/// redemption overdraws.
/// </summary>
public sealed class MultiProcessTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const int Members = 3;
    private const int Operations = 600;
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task TwoProcesses_SameMembersAndOverlappingKeys_EachKeyOnce_ExactBalances()
    {
        var watch = Stopwatch.StartNew();
        var children = new[] { Start(0, Operations), Start(Operations / 3, Operations) }; // keys k200…k599 are posted by both
        var results = await Task.WhenAll(children.Select(CrashHost.FinishAsync));
        watch.Stop();

        SqliteConnection.ClearAllPools();
        var ledger = new LoyaltyLedger(new SqliteLoyaltyLedgerStore(_db.Database()), new NodaTime.Testing.FakeClock(SystemClock.Instance.GetCurrentInstant()), new LoyaltyOptions());
        var keys = Enumerable.Range(0, Operations + (Operations / 3)).ToArray();
        long entries = 0;
        for (var m = 0; m < Members; m++)
        {
            var member = new CustomerId($"m{m}");
            var history = await ledger.GetHistoryAsync(member);
            entries += history.Count;
            Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.Sequence));
            Assert.Equal(history.Count, history.Select(e => e.IdempotencyKey).Distinct(StringComparer.Ordinal).Count());
            var earns = keys.Count(i => i % Members == m && i % 4 != 3);
            Assert.Equal(earns, history.Count(e => e.Kind == PostingKind.Earn)); // every earn key once, from whichever process
            var account = LoyaltyLedger.Replay(member, history); // no overdraw, no broken rule
            Assert.Equal(10L * earns - (15L * history.Count(e => e.Kind == PostingKind.Redeem)), account.Balance);
        }

        // Both processes saw the same outcome for every key they both posted (LI-3 across processes).
        var shared = results[0].Keys.Intersect(results[1].Keys, StringComparer.Ordinal).ToList();
        Assert.Equal(Operations - (Operations / 3), shared.Count);
        Assert.All(shared, key => Assert.Equal(results[0][key], results[1][key]));
        output.WriteLine($"2 processes, {2 * Operations} calls ({shared.Count} keys posted by both), {entries} entries, {watch.Elapsed.TotalSeconds:0.0} s.");
    }

    private Process Start(int first, int count) => CrashHost.Start(_db.File, first, count, Members);
}
