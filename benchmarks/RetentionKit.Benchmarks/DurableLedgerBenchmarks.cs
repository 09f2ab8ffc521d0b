using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Testing;

namespace RetentionKit.Benchmarks;

/// <summary>
/// The ledger on its stores: in memory (the yardstick), SQLite with every commit synced (<c>synchronous=FULL</c>, the
/// default), SQLite synced at checkpoints (<c>NORMAL</c>) and PostgreSQL on localhost (a throwaway server, fsync on).
/// <c>Earn</c>: one posting per transaction, one writer. <c>EarnEightWriters</c>: one posting per transaction, eight
/// concurrent writers on their own members. <c>EarnBatched</c>: a day's usage — one earn for each of 2,000 members —
/// in one <c>EarnManyAsync</c> call; <c>EarnBatchedEightWriters</c>: the same day from eight concurrent writers, one
/// batch of 250 members each. Each invocation starts on an empty store. <c>Balance</c>: the balance read of a
/// loaded member with 10 or 1,000 entries, which must not grow with the entries.
/// </summary>
[MemoryDiagnoser]
public class DurableLedgerBenchmarks
{
    private const int Postings = 400;
    private const int Members = 50;
    private const int Writers = 8;
    private const int Day = 2_000;
    private readonly CustomerId[] _members = new CustomerId[Day];
    private readonly string[] _keys = new string[Day];
    private EarnRequest[] _day = [];
    private string _folder = string.Empty;
    private TemporaryPostgreSqlServer? _server;
    private ServiceProvider? _provider;
    private LoyaltyLedger _ledger = null!;
    private ServiceProvider? _loadedProvider;
    private LoyaltyLedger _loaded = null!;

    /// <summary>Gets or sets the store: memory, sqlite-full, sqlite-normal or postgresql.</summary>
    [Params("memory", "sqlite-full", "sqlite-normal", "postgresql")]
    public string Store { get; set; } = "memory";

    /// <summary>Gets or sets the entries of the member whose balance is read.</summary>
    [Params(10, 1_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Day; i++)
        {
            _members[i] = new CustomerId($"m{i:D5}");
            _keys[i] = $"k{i}";
        }

        _day = [.. Enumerable.Range(0, Day).Select(i => new EarnRequest(_members[i], 10, "usage:2026-01-01", "daily use"))];
        _folder = Directory.CreateTempSubdirectory("rk-bench-").FullName;
        if (Store == "postgresql")
        {
            _server = TemporaryPostgreSqlServer.Start();
        }

        (_loadedProvider, _loaded) = NewLedger();
        for (var i = 0; i < Entries; i++)
        {
            _loaded.EarnAsync(_members[0], 1, $"seed{i}", "seed").AsTask().GetAwaiter().GetResult();
        }

        _loaded.GetBalanceAsync(_members[0]).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider?.Dispose();
        _loadedProvider?.Dispose();
        SqliteConnection.ClearAllPools();
        _server?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [IterationSetup(Targets = [nameof(Earn), nameof(EarnEightWriters), nameof(EarnBatched), nameof(EarnBatchedEightWriters)])]
    public void FreshLedger()
    {
        _provider?.Dispose();
        (_provider, _ledger) = NewLedger();
        // The schema is created, and the connection pool filled (a PostgreSQL login costs milliseconds of SCRAM), here
        // rather than in the measurement: a running host has both.
        Task.WaitAll([.. Enumerable.Range(0, 2 * Writers).Select(i => Task.Run(async () => await _ledger.GetBalanceAsync(new CustomerId($"warm-up-{i}")).ConfigureAwait(false)))]);
    }

    /// <summary>Earn postings, one per transaction, one writer.</summary>
    [Benchmark(OperationsPerInvoke = Postings)]
    public async Task<long> Earn()
    {
        var last = 0L;
        for (var i = 0; i < Postings; i++)
        {
            last = (await _ledger.EarnAsync(_members[i % Members], 10, _keys[i], "daily use").ConfigureAwait(false)).Balance;
        }

        return last;
    }

    /// <summary>Earn postings, one per transaction, eight concurrent writers each on members of its own.</summary>
    [Benchmark(OperationsPerInvoke = Postings * Writers)]
    public async Task<long> EarnEightWriters()
    {
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var last = 0L;
            for (var i = 0; i < Postings; i++)
            {
                last = (await _ledger.EarnAsync(_members[(w * Members) + (i % Members)], 10, _keys[i], "daily use").ConfigureAwait(false)).Balance;
            }

            return last;
        }));
        return (await Task.WhenAll(writers).ConfigureAwait(false)).Sum();
    }

    /// <summary>A day's usage: one earn for each of 2,000 members, in one batch.</summary>
    [Benchmark(OperationsPerInvoke = Day)]
    public async Task<int> EarnBatched() => (await _ledger.EarnManyAsync(_day).ConfigureAwait(false)).Length;

    /// <summary>A day's usage for 2,000 members from eight concurrent writers, each one batch for its own 250 members.</summary>
    [Benchmark(OperationsPerInvoke = Day)]
    public async Task<int> EarnBatchedEightWriters()
    {
        var share = Day / Writers;
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () => (await _ledger.EarnManyAsync(_day.AsMemory(w * share, share).ToArray()).ConfigureAwait(false)).Length));
        return (await Task.WhenAll(writers).ConfigureAwait(false)).Sum();
    }

    /// <summary>A balance read of a loaded member.</summary>
    [Benchmark]
    public async ValueTask<long> Balance() => await _loaded.GetBalanceAsync(_members[0]).ConfigureAwait(false);

    private (ServiceProvider, LoyaltyLedger) NewLedger()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FixedClock());
        var name = $"b{Guid.NewGuid():N}";
        services.AddRetentionKit(kit =>
        {
            kit.AddLoyalty();
            if (Store.StartsWith("sqlite", StringComparison.Ordinal))
            {
                kit.UseSqlite(o =>
                {
                    o.ConnectionString = $"Data Source={Path.Combine(_folder, name + ".db")}";
                    o.SyncEveryCommit = Store == "sqlite-full";
                });
            }
            else if (Store == "postgresql")
            {
                kit.UsePostgreSql(o => (o.ConnectionString, o.Schema) = (_server!.ConnectionString + ";Maximum Pool Size=50", name));
            }
        });
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<LoyaltyLedger>());
    }

    private sealed class FixedClock : IClock
    {
        private static readonly Instant Now = Instant.FromUtc(2026, 1, 1, 0, 0);

        public Instant GetCurrentInstant() => Now;
    }
}
