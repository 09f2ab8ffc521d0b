using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Orleans.Hosting;
using Orleans.TestingHost;
using RetentionKit.Loyalty;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Orleans;

namespace RetentionKit.Benchmarks;

/// <summary>
/// Issue 27: postings through a 3-silo in-process Orleans cluster against the same ledger in process — the overhead
/// of the grain call (serialisation, messaging between silos on one machine, the activation's scheduler). 1,000 earn
/// postings per operation, 100 members at once with 10 postings each in order; the same in-memory store in both. On 2
/// cores the cluster's silos share the cores with the caller: this is overhead, not scaling.
/// </summary>
[MemoryDiagnoser]
public class OrleansBenchmarks
{
    private const int Members = 100;
    private const int PerMember = 10;

    // The silos' shared store, as a cluster's silos share one database.
    private static readonly InMemoryLoyaltyLedgerStore SharedStore = new();
    private TestCluster _cluster = null!;
    private LoyaltyLedger _ledger = null!;
    private string[] _members = [];
    private long _round;

    [GlobalSetup]
    public void Setup()
    {
        _cluster = new TestClusterBuilder(3).AddSiloBuilderConfigurator<Silo>().Build();
        _cluster.Deploy();
        _ledger = new LoyaltyLedger(new InMemoryLoyaltyLedgerStore(), SystemClock.Instance, new LoyaltyOptions());
        _members = [.. Enumerable.Range(0, Members).Select(i => $"bench-{i}")];
        Task.WhenAll(_members.Select(m => _cluster.GrainFactory.GetGrain<ICustomerGrain>(m).GetBalanceAsync())).GetAwaiter().GetResult(); // activate
    }

    [GlobalCleanup]
    public void Cleanup() => _cluster.StopAllSilos();

    /// <summary>The ledger in process.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Members * PerMember)]
    public Task InProcess()
    {
        var round = ++_round;
        return Task.WhenAll(_members.Select(async m =>
        {
            for (var k = 0; k < PerMember; k++)
            {
                await _ledger.EarnAsync(new CustomerId(m), 10, $"{round}-{k}", "daily use").ConfigureAwait(false);
            }
        }));
    }

    /// <summary>The same postings through each member's grain on the cluster.</summary>
    [Benchmark(OperationsPerInvoke = Members * PerMember)]
    public Task ThroughTheCluster()
    {
        var round = ++_round;
        return Task.WhenAll(_members.Select(async m =>
        {
            var grain = _cluster.GrainFactory.GetGrain<ICustomerGrain>(m);
            for (var k = 0; k < PerMember; k++)
            {
                await grain.EarnAsync(10, $"{round}-{k}", "daily use").ConfigureAwait(false);
            }
        }));
    }

    private sealed class Silo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddSingleton<ILoyaltyLedgerStore>(SharedStore);
            siloBuilder.AddRetentionKit(kit => kit.AddLoyalty());
        }
    }
}
