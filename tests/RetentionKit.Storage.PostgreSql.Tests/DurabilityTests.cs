using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NodaTime;
using NodaTime.Testing;
using RetentionKit.Loyalty;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Storage.Tests;
using RetentionKit.Testing;
using Xunit.Abstractions;

namespace RetentionKit.Storage.PostgreSql.Tests;

/// <summary>
/// The ledger on PostgreSQL under the faults the issue lists: several instances and processes on the same members with
/// overlapping keys, and the server stopped like a crash (<c>pg_ctl stop -m immediate</c>) in the middle of a run.
/// </summary>
public sealed class DurabilityTests(ITestOutputHelper output)
{
    private static readonly FakeClock Clock = new(Instant.FromUtc(2026, 3, 1, 9, 0));

    private static LoyaltyLedger Ledger(PostgreSqlDatabase database) => new(new PostgreSqlLoyaltyLedgerStore(database), Clock, new LoyaltyOptions());

    [PostgreSqlFact]
    public async Task EarnMany_ADayForManyMembers_FromTwoInstances_PostsEachKeyOnce()
    {
        var schema = PostgreSql.NewSchema();
        var day = Enumerable.Range(0, 600).Select(i => new EarnRequest(new CustomerId($"m{i % 250:D3}"), 1 + (i % 7), $"usage:{i}", "daily usage")).ToList();

        var both = await Task.WhenAll(
            Task.Run(async () => await Ledger(PostgreSql.Database(schema)).EarnManyAsync(day)),
            Task.Run(async () => await Ledger(PostgreSql.Database(schema)).EarnManyAsync(day.AsEnumerable().Reverse().ToList())));

        Assert.Equal(day.Count, both[0].Count(r => !r.Replayed) + both[1].Count(r => !r.Replayed));
        var reader = Ledger(PostgreSql.Database(schema));
        foreach (var member in day.Select(r => r.Member).Distinct())
        {
            var history = await reader.GetHistoryAsync(member);
            Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.Sequence));
            Assert.Equal(day.Where(r => r.Member == member).Sum(r => r.Points), await reader.GetBalanceAsync(member));
        }
    }

    [PostgreSqlFact]
    public async Task TwoProcesses_SameMembersAndOverlappingKeys_EachKeyOnce_ExactBalances()
    {
        const int Members = 3;
        const int Operations = 400;
        var schema = PostgreSql.NewSchema();
        var store = $"pg|{PostgreSql.ConnectionString}|{schema}";
        var watch = Stopwatch.StartNew();

        var results = await Task.WhenAll(new[] { CrashHost.Start(store, 0, Operations, Members), CrashHost.Start(store, Operations / 4, Operations, Members) }.Select(CrashHost.FinishAsync));

        var ledger = Ledger(PostgreSql.Database(schema));
        var keys = Enumerable.Range(0, Operations + (Operations / 4)).ToArray();
        for (var m = 0; m < Members; m++)
        {
            var member = new CustomerId($"m{m}");
            var history = await ledger.GetHistoryAsync(member);
            Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.Sequence));
            Assert.Equal(history.Count, history.Select(e => e.IdempotencyKey).Distinct(StringComparer.Ordinal).Count());
            var earns = keys.Count(i => i % Members == m && i % 4 != 3);
            Assert.Equal(earns, history.Count(e => e.Kind == PostingKind.Earn));
            Assert.Equal(10L * earns - (15L * history.Count(e => e.Kind == PostingKind.Redeem)), LoyaltyLedger.Replay(member, history).Balance);
        }

        var shared = results[0].Keys.Intersect(results[1].Keys, StringComparer.Ordinal).ToList();
        Assert.Equal(Operations - (Operations / 4), shared.Count);
        Assert.All(shared, key => Assert.Equal(results[0][key], results[1][key]));
        output.WriteLine($"2 processes, {2 * Operations} calls ({shared.Count} keys posted by both), {watch.Elapsed.TotalSeconds:0.0} s.");
    }

    [PostgreSqlFact(needsServerBinaries: true)]
    [Trait("Category", "Fault")]
    public async Task TheServerStoppedImmediatelyMidRun_CallersGetTransientErrors_RetriesLoseAndDuplicateNothing()
    {
        using var server = TemporaryPostgreSqlServer.Start();
        await using var source = NpgsqlDataSource.Create(server.ConnectionString + ";Timeout=5;Command Timeout=10");
        var schema = PostgreSql.NewSchema();
        const int Writers = 4;
        const int PerWriter = 300;
        var transient = 0;
        var acknowledged = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var members = Enumerable.Range(0, 5).Select(i => new CustomerId($"m{i}")).ToArray();
        var halfway = new TaskCompletionSource();
        var posted = 0;

        async Task Writer(int w)
        {
            var ledger = Ledger(new PostgreSqlDatabase(source, ownsDataSource: false, schema, autoMigrate: true));
            for (var i = 0; i < PerWriter; i++)
            {
                var key = $"w{w}:{i}";
                var member = members[(w + i) % members.Length];
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        var result = await ledger.EarnAsync(member, 1 + (i % 5), key, "use");
                        acknowledged[key] = result.Entry!.Sequence;
                        break;
                    }
                    catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException { InnerException: NpgsqlException } && attempt < 400)
                    {
                        Interlocked.Increment(ref transient);
                        await Task.Delay(25);
                    }
                }

                if (Interlocked.Increment(ref posted) == Writers * PerWriter / 3)
                {
                    halfway.TrySetResult();
                }
            }
        }

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() => Writer(w))).ToArray();
        await halfway.Task;
        server.StopImmediately();
        await Task.Delay(300);
        server.Start();
        await Task.WhenAll(writers);

        var check = Ledger(new PostgreSqlDatabase(source, ownsDataSource: false, schema, autoMigrate: true));
        long entries = 0;
        foreach (var member in members)
        {
            var history = await check.GetHistoryAsync(member);
            entries += history.Count;
            Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.Sequence));
            Assert.Equal(history.Count, history.Select(e => e.IdempotencyKey).Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(LoyaltyLedger.Replay(member, history).Balance, await check.GetBalanceAsync(member));
        }

        Assert.Equal(Writers * PerWriter, acknowledged.Count);
        Assert.Equal(Writers * PerWriter, entries); // every key once: nothing lost, nothing duplicated
        Assert.True(transient > 0, "the stop should have failed some calls");
        output.WriteLine($"{Writers} writers, {Writers * PerWriter} postings, server stopped with -m immediate after {Writers * PerWriter / 3}: {transient} transient errors, every key posted once.");
    }

    [PostgreSqlFact]
    public async Task RecordMany_TwentyThousandRecords_InOneCopy()
    {
        var schema = PostgreSql.NewSchema();
        var store = new PostgreSqlScoreHistoryStore(PostgreSql.Database(schema));
        var day = new LocalDate(2026, 3, 1);
        var records = Enumerable.Range(0, 20_000).Select(i => new RetentionKit.Scoring.ScoreRecord(new CustomerId($"c{i:D6}"), day, day, i % 100, RetentionKit.Scoring.RetentionBand.Medium, 50, RetentionKit.Scoring.RiskLevel.Medium, i / 20_000.0)).ToList();

        await store.RecordManyAsync(records);
        await store.RecordManyAsync(records.Take(10)); // a second write of the same day replaces, it does not add

        Assert.Equal([records[12_345]], await store.GetAsync(new CustomerId("c012345"), day, day));
        await using var count = PostgreSql.DataSource.CreateCommand($"SELECT count(*) FROM {schema}.score_history");
        Assert.Equal(20_000L, await count.ExecuteScalarAsync());
    }
}
