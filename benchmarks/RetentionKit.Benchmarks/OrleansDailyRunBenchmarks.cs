using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Orleans.Hosting;
using Orleans.TestingHost;
using RetentionKit.Hosting;
using RetentionKit.Orleans;
using RetentionKit.Testing;

namespace RetentionKit.Benchmarks;

/// <summary>
/// Issue 27: a date's daily run (read, score, record, expire, plan the playbooks) of 2,000 synthetic customers in 12
/// partitions, in process (<see cref="DailyRun.RerunAsync"/>) against the same run handed out by the cluster's
/// coordinator to partition grains on three in-process silos (<see cref="IDailyRunGrain.RerunAsync"/>). Each is a
/// rerun of a date already run once, so the work is the same every time (everything scored and planned again; nothing
/// delivered twice). On 2 cores this is the coordinator's and the grains' overhead, not scaling.
/// </summary>
[MemoryDiagnoser]
public class OrleansDailyRunBenchmarks
{
    private const int Customers = 2_000;
    private static readonly LocalDate Date = new(2026, 3, 10);

    // The silos' shared stores and channels, as a cluster's silos share one database.
    private static readonly Shared Cluster = new();
    private readonly Shared _local = new();
    private TestCluster _cluster = null!;
    private DailyRun _run = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        _local.AddTo(services);
        services.AddRetentionKit(kit => kit.AddScoring().AddLoyalty().AddPlaybooks().AddDailyRun<SyntheticCustomerSource>(o => (o.Partitions, o.Enabled) = (12, false)));
        _run = services.BuildServiceProvider().GetRequiredService<DailyRun>();
        _run.RunAsync(Date).AsTask().GetAwaiter().GetResult();

        _cluster = new TestClusterBuilder(3).AddSiloBuilderConfigurator<Silo>().Build();
        _cluster.Deploy();
        _cluster.GrainFactory.GetGrain<IDailyRunGrain>(Date.ToString("uuuu-MM-dd", null)).RunAsync(TimeSpan.FromMilliseconds(5)).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _cluster.StopAllSilos();

    /// <summary>The date run again in process, partition after partition.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> InProcess() => (await _run.RerunAsync(Date)).Scored;

    /// <summary>The date run again through the coordinator and the partition grains of the cluster.</summary>
    [Benchmark]
    public async Task<int> ThroughTheCluster()
    {
        var coordinator = _cluster.GrainFactory.GetGrain<IDailyRunGrain>(Date.ToString("uuuu-MM-dd", null));
        await coordinator.RerunAsync();
        return (await coordinator.RunAsync(TimeSpan.FromMilliseconds(5))).Scored;
    }

    /// <summary>One deployment's stores and channels, and the customers.</summary>
    private sealed class Shared
    {
        private readonly InMemoryDeployment _deployment = new();
        private readonly SyntheticCustomerSource _source = new(Customers, new LocalDate(2026, 1, 1));

        public void AddTo(IServiceCollection services) =>
            _deployment.AddTo(services).AddSingleton<IClock>(SystemClock.Instance).AddSingleton<ICustomerDataSource>(_source);
    }

    private sealed class Silo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            Cluster.AddTo(siloBuilder.Services);
            siloBuilder.AddRetentionKit(
                kit => kit.AddScoring().AddLoyalty().AddPlaybooks().AddDailyRun<SyntheticCustomerSource>(o => (o.Partitions, o.Enabled) = (12, false)),
                cluster => cluster.RetryInterval = TimeSpan.FromMilliseconds(5));
        }
    }
}
