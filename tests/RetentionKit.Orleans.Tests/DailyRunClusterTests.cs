using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Orleans;
using Orleans.Hosting;

using Orleans.Runtime;
using Orleans.TestingHost;
using RetentionKit.Hosting;
using RetentionKit.Playbooks;
using RetentionKit.Testing;
using Xunit.Abstractions;

namespace RetentionKit.Orleans.Tests;

/// <summary>
/// The daily run spread over a 3-silo cluster by <see cref="IDailyRunGrain"/>, against the single-host
/// <see cref="DailyRun"/> fed the same customers: the same enrolments and deliveries; and a silo killed while it runs
/// partitions, whose partitions the others take over, every step still delivered once.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DailyRunClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Partitions = 12;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly LocalDate FirstDate = new(2026, 1, 20);

    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        World.Reset();
        _cluster = new TestClusterBuilder(3).AddSiloBuilderConfigurator<ClusterWorld>().Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        World.Gate.TrySetResult();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task TenDatesRunOverTheCluster_EnrolAndDeliverExactlyWhatOneHostDoes()
    {
        World.Gate.TrySetResult(); // nothing held back
        var reference = new ReferenceHost();
        var reports = new List<DailyRunReport>();
        for (var date = FirstDate; date < FirstDate.PlusDays(10); date = date.PlusDays(1))
        {
            World.Clock.Reset(date.At(new LocalTime(3, 0)).InUtc().ToInstant());
            reports.Add(await _cluster.GrainFactory.GetGrain<IDailyRunGrain>(Key(date)).RunAsync(Poll));
            reference.Clock.Reset(World.Clock.GetCurrentInstant());
            var single = await reference.Run.RunAsync(date);

            var report = reports[^1];
            Assert.True(report.IsComplete, string.Join("; ", report.Abandoned));
            Assert.Equal((single.Customers, single.Scored, single.Delivered, single.EnrolmentsStarted, single.Failures.Length), (report.Customers, report.Scored, report.Delivered, report.EnrolmentsStarted, report.Failures));
            Assert.Equal(Partitions, report.Dispatches);
            Assert.Equal(0, report.Redispatched);
        }

        Assert.Equal(reference.World.DeliveredKeys, World.DeliveredKeys);
        Assert.Equal(reference.World.EnrolmentRows, World.EnrolmentRows);
        Assert.True(World.DeliveredKeys.Length > 50, $"{World.DeliveredKeys.Length} deliveries: too few to prove anything");
        Assert.All(World.Channels, c => Assert.Equal(0, c.Repeats));

        // The partitions ran on every silo (placement is random: 120 calls on three silos).
        var instances = reports.SelectMany(r => r.Completed).Select(p => p.Instance).Distinct().ToArray();
        Assert.Equal(_cluster.Silos.Select(s => s.SiloAddress.ToString()).Order(), instances.Order());

        // Each customer's grain reads the customer's enrolments and latest score from the shared stores.
        var last = FirstDate.PlusDays(9).ToString("uuuu-MM-dd", null);
        foreach (var id in World.Stores.Enrolments.Customers.Take(10))
        {
            var grain = _cluster.GrainFactory.GetGrain<ICustomerGrain>(id.Value);
            Assert.Equal((await World.Stores.Enrolments.GetAsync(id)).Select(EnrolmentLine.From), await grain.GetEnrolmentsAsync());
            Assert.Equal(last, (await grain.GetLatestScoreAsync())?.Date);
        }

        // Asked again, a finished date is read back, not run again.
        var again = await _cluster.GrainFactory.GetGrain<IDailyRunGrain>(Key(FirstDate)).RunAsync(Poll);
        Assert.Equal(reports[0].Completed.AsEnumerable(), again.Completed);
        Assert.All(World.Source.Reads.Values, n => Assert.Equal(1, n));

        // Run again on purpose: read and scored again, nothing enrolled or delivered twice.
        var delivered = World.DeliveredKeys;
        var first = _cluster.GrainFactory.GetGrain<IDailyRunGrain>(Key(FirstDate));
        await first.RerunAsync();
        var rerun = await first.RunAsync(Poll);
        Assert.True(rerun.IsComplete);
        Assert.Equal((reports[0].Customers, reports[0].Scored, 0, 0), (rerun.Customers, rerun.Scored, rerun.Delivered, rerun.EnrolmentsStarted));
        Assert.All(World.Source.Reads.Where(r => r.Key.Date == FirstDate), r => Assert.Equal(2, r.Value));
        Assert.Equal(delivered, World.DeliveredKeys);
    }

    [Fact]
    public async Task ASiloKilledWhileItRunsPartitions_HandsThemToTheOthers_AndEveryStepIsDeliveredOnce()
    {
        var reference = new ReferenceHost();
        var date = FirstDate.PlusDays(5);
        World.Clock.Reset(date.At(new LocalTime(3, 0)).InUtc().ToInstant());
        reference.Clock.Reset(World.Clock.GetCurrentInstant());
        var single = await reference.Run.RunAsync(date);

        // Every partition's read waits at the gate. Once all are held, a silo that runs some of them — not the primary
        // (it keeps the test cluster's membership) and, if it can be, not the coordinator's — is killed.
        var run = _cluster.GrainFactory.GetGrain<IDailyRunGrain>(Key(date)).RunAsync(Poll);
        while (World.Holding.Values.Sum(h => h.Count) < Partitions)
        {
            await Task.Delay(20);
            Assert.False(run.IsCompleted, "the run ended before the kill");
        }

        var statistics = await _cluster.GrainFactory.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        var coordinator = statistics.Single(g => g.GrainId.Key.ToString() == Key(date)).SiloAddress;
        var victim = World.Holding.Keys.Where(s => !s.Equals(_cluster.Primary!.SiloAddress)).OrderBy(s => s.Equals(coordinator)).First();
        var held = World.Holding[victim];
        World.Dead.TryAdd(victim, true);
        await _cluster.KillSiloAsync(_cluster.Silos.Single(s => s.SiloAddress.Equals(victim)));
        await _cluster.StartAdditionalSiloAsync();
        World.Gate.TrySetResult();
        World.Clock.Advance(Duration.FromMinutes(6)); // the victim's leases expire (RunOptions.LeaseDuration: 5 minutes)
        var report = await run;

        Assert.True(report.IsComplete, string.Join("; ", report.Abandoned));
        Assert.Equal((single.Customers, single.Scored, single.Delivered, single.EnrolmentsStarted), (report.Customers, report.Scored, report.Delivered, report.EnrolmentsStarted));
        Assert.Equal(reference.World.DeliveredKeys, World.DeliveredKeys);
        Assert.Equal(reference.World.EnrolmentRows, World.EnrolmentRows);
        Assert.All(World.Channels, c => Assert.Equal(0, c.Repeats));
        Assert.DoesNotContain(report.Completed, p => p.Instance == victim.ToString());
        output.WriteLine($"victim {victim} held partitions {string.Join(",", held.Order())}; coordinator on {coordinator}; {report.Dispatches} starts, {report.Redispatched} again; completed by {string.Join(", ", report.Completed.GroupBy(p => p.Instance).Select(g => $"{g.Key}: {g.Count()}"))}");
        if (!victim.Equals(coordinator))
        {
            // The coordinator lived: it found the victim's partitions gone and started them again elsewhere.
            Assert.True(report.Redispatched >= held.Distinct().Count(), $"{report.Redispatched} started again; the victim held {held.Count}");
        }
    }

    [Fact]
    public async Task StepsHeldUntilTheirSendTime_FireFromReminders_OnceAndNoneEarly_AfterTheWholeClusterRestarts()
    {
        World.Gate.TrySetResult();
        World.SendAt = "10:00";
        var ten = FirstDate.At(new LocalTime(10, 0)).InUtc().ToInstant();
        var reference = new ReferenceHost();
        reference.Clock.Reset(FirstDate.At(new LocalTime(3, 0)).InUtc().ToInstant());
        var single = await reference.Run.RunAsync(FirstDate);
        Assert.True(single.Delivered > 10, $"the single host delivered {single.Delivered}: too few to prove anything");
        foreach (var channel in World.Channels)
        {
            channel.FailWhen(d =>
            {
                World.SentAt.TryAdd(d.IdempotencyKey, World.Clock.GetCurrentInstant());
                return null;
            });
        }

        // The nightly run, 30 seconds (of a clock running at real speed) before the send time: every step is held,
        // every customer with a step today gets a reminder for 10:00.
        World.Clock.Reset(ten - Duration.FromSeconds(30));
        World.Clock.Run();
        var night = await _cluster.GrainFactory.GetGrain<IDailyRunGrain>(Key(FirstDate)).RunAsync(Poll);
        Assert.True(night.IsComplete);
        Assert.Equal(0, night.Delivered);
        Assert.Equal(single.Customers, night.Customers);
        var reminders = World.Reminders.Count;
        Assert.True(reminders > 0, "no reminder was registered");

        // Every silo stops; a new cluster starts on the same stores and reminder table.
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        Assert.True(World.Clock.GetCurrentInstant() < ten, "the cluster restarted after the send time: the test proves nothing about early sends");
        Assert.Empty(World.SentAt);
        _cluster = new TestClusterBuilder(3).AddSiloBuilderConfigurator<ClusterWorld>().Build();
        await _cluster.DeployAsync();

        for (var waited = 0; World.DeliveredKeys.Length < reference.World.DeliveredKeys.Length && waited < 120; waited++)
        {
            await Task.Delay(500);
        }

        Assert.Equal(reference.World.DeliveredKeys, World.DeliveredKeys);
        Assert.Equal(reference.World.EnrolmentRows, World.EnrolmentRows);
        Assert.All(World.Channels, c => Assert.Equal(0, c.Repeats));
        Assert.All(World.SentAt, sent => Assert.True(sent.Value >= ten, $"{sent.Key} was sent at {sent.Value}, before 10:00"));
        for (var waited = 0; World.Reminders.Count > 0 && waited < 40; waited++)
        {
            await Task.Delay(250);
        }

        Assert.Equal(0, World.Reminders.Count); // each removed once its run had nothing left to hold
        output.WriteLine($"{reminders} reminders for {single.Delivered} steps; sent between {World.SentAt.Values.Min()} and {World.SentAt.Values.Max()}");
    }

    private static string Key(LocalDate date) => date.ToString("uuuu-MM-dd", null);

    /// <summary>What the silos of a test share, as a real cluster's silos share their PostgreSQL and channels.</summary>
    internal static class World
    {
        public static TestClock Clock { get; private set; } = null!;

        public static SharedReminderTable Reminders { get; private set; } = null!;

        public static string? SendAt { get; set; }

        public static ConcurrentDictionary<string, Instant> SentAt { get; } = new();

        public static SyntheticCustomerSource Source { get; private set; } = null!;

        public static InMemoryDeployment Stores { get; private set; } = null!;

        public static ImmutableArray<RecordingPlaybookChannel> Channels => Stores.Channels;

        public static TaskCompletionSource Gate { get; private set; } = null!;

        public static ConcurrentDictionary<SiloAddress, ConcurrentBag<int>> Holding { get; } = new();

        public static ConcurrentDictionary<SiloAddress, bool> Dead { get; } = new();

        public static string[] DeliveredKeys => Stores.DeliveredKeys;

        public static string[] EnrolmentRows => Stores.EnrolmentRows;

        public static void Reset()
        {
            Clock = new TestClock(Instant.FromUtc(2026, 1, 20, 3, 0));
            Reminders = new SharedReminderTable();
            SendAt = null;
            SentAt.Clear();
            Source = new SyntheticCustomerSource(120, new LocalDate(2026, 1, 1));
            Stores = new InMemoryDeployment();
            Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Holding.Clear();
            Dead.Clear();
        }
    }

    /// <summary>The single host the cluster is compared with: the same customers, stores of its own.</summary>
    private sealed class ReferenceHost
    {
        public ReferenceHost()
        {
            var services = new ServiceCollection();
            World.AddTo(services).AddSingleton<IClock>(Clock);
            services.AddSingleton<ICustomerDataSource>(new SyntheticCustomerSource(120, new LocalDate(2026, 1, 1)));
            services.AddLogging();
            services.AddRetentionKit(kit => kit.AddScoring().AddLoyalty().AddPlaybooks().AddDailyRun<SyntheticCustomerSource>(o => o.Partitions = Partitions));
            Run = services.BuildServiceProvider().GetRequiredService<DailyRun>();
        }

        public FakeClock Clock { get; } = new(Instant.FromUtc(2026, 1, 20, 3, 0));

        public InMemoryDeployment World { get; } = new();

        public DailyRun Run { get; }
    }

    /// <summary>Each silo's registration: the shared world, the gated source, 12 partitions, quick retries.</summary>
    private sealed class ClusterWorld : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            World.Stores.AddTo(siloBuilder.Services).AddSingleton<IClock>(World.Clock);
            siloBuilder.AddReminders();
            siloBuilder.Services.AddSingleton<IReminderTable>(World.Reminders);
            siloBuilder.Services.Configure<PlaybookOptions>(o => o.SendAt = World.SendAt);
            siloBuilder.AddRetentionKit(
                kit => kit.AddScoring().AddLoyalty().AddPlaybooks().AddDailyRun<GatedSource>(o => (o.Partitions, o.Enabled) = (Partitions, false)),
                cluster => cluster.RetryInterval = TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>
    /// The synthetic customers, read once the test opens the gate; a silo the test killed fails its reads, as a
    /// crashed machine's work ends (its lease stays until it expires).
    /// </summary>
    private sealed class GatedSource(ILocalSiloDetails silo) : ICustomerDataSource
    {
        public async IAsyncEnumerable<CustomerDay> ReadAsync(LocalDate runDate, RunPartition partition, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            World.Holding.GetOrAdd(silo.SiloAddress, _ => []).Add(partition.Index);
            await World.Gate.Task.WaitAsync(cancellationToken);
            if (World.Dead.ContainsKey(silo.SiloAddress))
            {
                throw new IOException($"silo {silo.SiloAddress} was killed");
            }

            await foreach (var day in World.Source.ReadAsync(runDate, partition, cancellationToken))
            {
                yield return day;
            }
        }
    }
}

/// <summary>The cluster tests run one at a time: each deploys three silos on a 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Orleans cluster";
}
