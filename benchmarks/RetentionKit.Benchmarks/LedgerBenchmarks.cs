using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using NodaTime;
using RetentionKit.Loyalty;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Benchmarks;

/// <summary>
/// The in-memory ledger, single-threaded (L4): postings per second and the cost of a balance lookup. Each operation
/// posts to one of 1,000 members with a fresh idempotency key; goal at least 1,000,000 postings/s.
/// </summary>
[MemoryDiagnoser]
public class LedgerBenchmarks
{
    private const int Members = 1_000;
    private CustomerId[] _members = [];
    private string[] _keys = [];
    private LoyaltyLedger _ledger = null!;
    private LoyaltyLedger _loaded = null!;

    [Params(100_000)]
    public int Postings { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _members = new CustomerId[Members];
        for (var i = 0; i < Members; i++)
        {
            _members[i] = new CustomerId($"m{i}");
        }

        _keys = new string[Postings];
        for (var i = 0; i < Postings; i++)
        {
            _keys[i] = $"k{i}";
        }

        _loaded = NewLedger();
        for (var i = 0; i < Members; i++)
        {
            _loaded.EarnAsync(_members[i], 100, "seed", "seed").AsTask().GetAwaiter().GetResult();
        }
    }

    [IterationSetup(Targets = [nameof(Earn), nameof(EarnAndRedeem)])]
    public void FreshLedger() => _ledger = NewLedger();

    /// <summary>Earn postings, each a new lot.</summary>
    [Benchmark(OperationsPerInvoke = 100_000)]
    public async Task<long> Earn()
    {
        var last = 0L;
        for (var i = 0; i < Postings; i++)
        {
            last = (await _ledger.EarnAsync(_members[i % Members], 10, _keys[i], "daily use").ConfigureAwait(false)).Balance;
        }

        return last;
    }

    /// <summary>Alternate earns and redemptions (FIFO over the member's lots).</summary>
    [Benchmark(OperationsPerInvoke = 100_000)]
    public async Task<long> EarnAndRedeem()
    {
        var last = 0L;
        for (var i = 0; i < Postings; i++)
        {
            var member = _members[i % Members];
            var result = (i / Members) % 2 == 0
                ? await _ledger.EarnAsync(member, 10, _keys[i], "daily use").ConfigureAwait(false)
                : await _ledger.RedeemAsync(member, 10, _keys[i], "reward").ConfigureAwait(false);
            last = result.Balance;
        }

        return last;
    }

    /// <summary>A balance lookup of a loaded member.</summary>
    [Benchmark]
    public async ValueTask<long> Balance() => await _loaded.GetBalanceAsync(_members[7]).ConfigureAwait(false);

    private static LoyaltyLedger NewLedger() => new(new InMemoryLoyaltyLedgerStore(), new FixedClock(), new LoyaltyOptions());

    private sealed class FixedClock : IClock
    {
        private static readonly Instant Now = Instant.FromUtc(2026, 1, 1, 0, 0);

        public Instant GetCurrentInstant() => Now;
    }
}
