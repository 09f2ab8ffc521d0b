using System;
using System.IO;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Benchmarks;

/// <summary>
/// The ledger on its stores, one posting per transaction: in memory (the yardstick), SQLite with every commit synced
/// (<c>synchronous=FULL</c>, the default) and SQLite synced at checkpoints (<c>NORMAL</c>). Each invocation posts 500
/// earns to 50 members on a fresh file. And the balance read of a loaded member with 10 or 1,000 entries, which must
/// not grow with the entries (the ledger keeps the member's fold and reads only what is newer).
/// </summary>
[MemoryDiagnoser]
public class DurableLedgerBenchmarks
{
    private const int Postings = 500;
    private const int Members = 50;
    private readonly CustomerId[] _members = new CustomerId[Members];
    private readonly string[] _keys = new string[Postings];
    private string _folder = string.Empty;
    private ServiceProvider? _provider;
    private LoyaltyLedger _ledger = null!;
    private ServiceProvider? _loadedProvider;
    private LoyaltyLedger _loaded = null!;

    /// <summary>Gets or sets the store: memory, sqlite-full or sqlite-normal.</summary>
    [Params("memory", "sqlite-full", "sqlite-normal")]
    public string Store { get; set; } = "memory";

    /// <summary>Gets or sets the entries of the member whose balance is read.</summary>
    [Params(10, 1_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Members; i++)
        {
            _members[i] = new CustomerId($"m{i}");
        }

        for (var i = 0; i < Postings; i++)
        {
            _keys[i] = $"k{i}";
        }

        _folder = Directory.CreateTempSubdirectory("rk-bench-").FullName;
        (_loadedProvider, _loaded) = NewLedger("loaded.db");
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
        Directory.Delete(_folder, recursive: true);
    }

    [IterationSetup(Target = nameof(Earn))]
    public void FreshLedger()
    {
        _provider?.Dispose();
        (_provider, _ledger) = NewLedger($"{Guid.NewGuid():N}.db");
    }

    /// <summary>Earn postings, one per transaction.</summary>
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

    /// <summary>A balance read of a loaded member.</summary>
    [Benchmark]
    public async ValueTask<long> Balance() => await _loaded.GetBalanceAsync(_members[0]).ConfigureAwait(false);

    private (ServiceProvider, LoyaltyLedger) NewLedger(string file)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FixedClock());
        services.AddRetentionKit(kit =>
        {
            kit.AddLoyalty();
            if (Store != "memory")
            {
                kit.UseSqlite(o =>
                {
                    o.ConnectionString = $"Data Source={Path.Combine(_folder, file)}";
                    o.SyncEveryCommit = Store == "sqlite-full";
                });
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
