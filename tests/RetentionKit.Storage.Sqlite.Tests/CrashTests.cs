using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using NodaTime;
using RetentionKit.Loyalty;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Storage.Tests;

namespace RetentionKit.Storage.Sqlite.Tests;

/// <summary>
/// ST-1, ST-2, LI-7 under SIGKILL: a child process posts to a ledger on a SQLite file and is killed at a random moment;
/// the file is reopened and every posting acknowledged before the kill is there exactly once, nothing is half-written,
/// a replay of each member's log folds cleanly and <c>PRAGMA integrity_check</c> is ok. Kill after kill on the same file,
/// the keys of the killed run posted again by the next (a retry after a crash): each is still posted once.
/// </summary>
public sealed class CrashTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const int Members = 5;
    private const int PerRun = 10_000_000; // more than a child can post before the kill: every run is cut short
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task KilledWhilePosting_FiveTimes_NothingAcknowledgedIsLost_NothingDuplicated() => await KillRepeatedly(kills: 5, seed: 1);

    [Fact]
    [Trait("Category", "Stress")]
    public async Task KilledWhilePosting_FiftyTimes_NothingAcknowledgedIsLost_NothingDuplicated() => await KillRepeatedly(kills: 50, seed: 2);

    private async Task KillRepeatedly(int kills, int seed)
    {
        var random = new Random(seed);
        var acknowledged = new Dictionary<string, PostingStatus>(StringComparer.Ordinal);
        var next = 0;
        var killedRuns = 0;
        for (var round = 0; round < kills; round++)
        {
            // Each run starts a little before where the last was killed: the keys in flight are retried.
            var first = Math.Max(0, next - 3);
            var (acks, killed) = await RunAndKill(first, PerRun, killAfter: TimeSpan.FromMilliseconds(random.Next(150)));
            killedRuns += killed ? 1 : 0;
            foreach (var (key, status) in acks)
            {
                if (acknowledged.TryGetValue(key, out var earlier))
                {
                    Assert.True(earlier == status, $"{key} was acknowledged as {earlier}, then as {status}");
                }

                acknowledged[key] = status;
            }

            next = acks.Count == 0 ? first : acks.Max(a => CrashHost.Number(a.Key)) + 1;
            Assert.True(killed, $"run {round}: the child finished its {PerRun} postings before it was killed");
            await Verify(acknowledged);
        }

        Assert.Equal(kills, killedRuns);
        Assert.True(acknowledged.Count >= kills, $"the children acknowledged {acknowledged.Count} postings over {kills} kills");
        output.WriteLine($"{killedRuns} SIGKILLs survived; {acknowledged.Count} acknowledged postings, each found once; integrity_check ok after every kill.");
    }

    private async Task<(List<KeyValuePair<string, PostingStatus>> Acks, bool Killed)> RunAndKill(int first, int count, TimeSpan killAfter)
    {
        using var child = CrashHost.Start(_db.File, first, count, Members);
        var acks = new List<KeyValuePair<string, PostingStatus>>();
        var reading = Task.Run(async () =>
        {
            while (await child.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (CrashHost.Ack(line) is var (key, status))
                {
                    lock (acks)
                    {
                        acks.Add(new(key, status));
                    }
                }
            }
        });

        // Kill once the child is posting (its first acknowledgement), after a random time.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !child.HasExited && acks.Count == 0)
        {
            await Task.Delay(10);
        }

        await Task.Delay(killAfter);
        var killed = !child.HasExited;
        if (killed)
        {
            child.Kill(); // SIGKILL on Unix: no cleanup, no flush, no rollback by the process
        }

        await child.WaitForExitAsync();
        await reading;
        var errors = await child.StandardError.ReadToEndAsync();
        Assert.True(killed || child.ExitCode == 0, $"the child failed: {errors}");
        lock (acks)
        {
            return ([.. acks], killed);
        }
    }

    private async Task Verify(Dictionary<string, PostingStatus> acknowledged)
    {
        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection(_db.ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", (string)command.ExecuteScalar()!);
        }

        var store = new SqliteLoyaltyLedgerStore(_db.Database());
        var ledger = new LoyaltyLedger(store, new NodaTime.Testing.FakeClock(SystemClock.Instance.GetCurrentInstant()), new LoyaltyOptions());
        var posted = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        for (var m = 0; m < Members; m++)
        {
            var member = new CustomerId($"m{m}");
            var history = await ledger.GetHistoryAsync(member);
            Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.Sequence));
            var account = LoyaltyLedger.Replay(member, history); // LI-7: folds without breaking a rule
            Assert.Equal(account.Balance, await ledger.GetBalanceAsync(member));
            foreach (var entry in history)
            {
                Assert.True(posted.TryAdd(entry.IdempotencyKey, entry), $"{entry.IdempotencyKey} posted twice");
            }
        }

        foreach (var (key, status) in acknowledged)
        {
            var member = new CustomerId($"m{CrashHost.Number(key) % Members}");
            var record = await store.FindKeyAsync(member, key);
            Assert.True(record is not null, $"{key} was acknowledged ({status}) and is lost");
            Assert.Equal(status, record!.Value.Status);
            Assert.Equal(status == PostingStatus.Posted, posted.ContainsKey(key));
        }
    }
}
