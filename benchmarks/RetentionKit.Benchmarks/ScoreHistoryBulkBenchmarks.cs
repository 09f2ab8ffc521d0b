using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using RetentionKit.Scoring;
using RetentionKit.Testing;

namespace RetentionKit.Benchmarks;

/// <summary>
/// One day's score history for 1,000,000 customers written with <c>RecordManyAsync</c> into an empty store: SQLite (one
/// transaction, one prepared statement) and PostgreSQL on localhost (binary COPY into a staging table, one upsert).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
public class ScoreHistoryBulkBenchmarks
{
    private const int Customers = 1_000_000;
    private ScoreRecord[] _records = [];
    private string _folder = string.Empty;
    private TemporaryPostgreSqlServer? _server;
    private ServiceProvider? _provider;
    private IScoreHistoryStore _store = null!;

    /// <summary>Gets or sets the store: sqlite or postgresql.</summary>
    [Params("sqlite", "postgresql")]
    public string Store { get; set; } = "sqlite";

    [GlobalSetup]
    public void Setup()
    {
        var day = new LocalDate(2026, 3, 1);
        _records = [.. Enumerable.Range(0, Customers).Select(i => new ScoreRecord(new CustomerId($"c{i:D7}"), day, day, i % 100, RetentionBand.Medium, (i * 7) % 100, RiskLevel.Medium, (i % 1000) / 1000.0))];
        _folder = Directory.CreateTempSubdirectory("rk-bench-").FullName;
        if (Store == "postgresql")
        {
            _server = TemporaryPostgreSqlServer.Start();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider?.Dispose();
        SqliteConnection.ClearAllPools();
        _server?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [IterationSetup]
    public void FreshStore()
    {
        _provider?.Dispose();
        var services = new ServiceCollection();
        var name = $"b{Guid.NewGuid():N}";
        services.AddRetentionKit(kit =>
        {
            kit.AddScoring();
            if (Store == "sqlite")
            {
                kit.UseSqlite(o => o.ConnectionString = $"Data Source={Path.Combine(_folder, name + ".db")}");
            }
            else
            {
                kit.UsePostgreSql(o => (o.ConnectionString, o.Schema) = (_server!.ConnectionString, name));
            }
        });
        _provider = services.BuildServiceProvider();
        _store = _provider.GetRequiredService<IScoreHistoryStore>();
        _store.GetAsync(new CustomerId("warm"), new LocalDate(2026, 3, 1), new LocalDate(2026, 3, 1)).AsTask().GetAwaiter().GetResult(); // schema created outside the measurement
    }

    /// <summary>1,000,000 records in one bulk write.</summary>
    [Benchmark]
    public async Task OneDayForAMillionCustomers() => await _store.RecordManyAsync(_records).ConfigureAwait(false);
}
