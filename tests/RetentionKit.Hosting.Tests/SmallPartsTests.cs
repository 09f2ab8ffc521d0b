using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NodaTime;

namespace RetentionKit.Hosting.Tests;

/// <summary>The small parts the run rests on: partitions, the in-memory run store's rules, summaries, the service's count of held partitions, the instruments' names and units.</summary>
public sealed class SmallPartsTests
{
    private static readonly LocalDate Day = new(2026, 1, 20);
    private static readonly Instant Now = Instant.FromUtc(2026, 1, 20, 3, 0);

    [Fact]
    public void A_partition_names_its_index_and_count_and_refuses_what_does_not_exist()
    {
        Assert.Equal("2/8", new RunPartition(2, 8).ToString());
        Assert.Equal("7/8", new RunPartition(7, 8).ToString());
        Assert.StartsWith("A partition index must be from 0 to 7 (count 8).", Assert.Throws<ArgumentOutOfRangeException>(() => new RunPartition(8, 8)).Message, StringComparison.Ordinal);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => new RunPartition(-1, 8)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => RunPartition.Of(new CustomerId("a"), 0)).ParamName);
        Assert.StartsWith("The customer id is the default (empty) value.", Assert.Throws<ArgumentException>(() => RunPartition.Of(default, 8)).Message, StringComparison.Ordinal);
        Assert.Equal(0, RunPartition.Of(new CustomerId("anyone"), 1));
        Assert.True(new RunOptions().Retry.UseJitter);
    }

    [Fact]
    public async Task The_in_memory_run_store_checks_its_arguments_and_honours_cancellation()
    {
        var store = new InMemoryDailyRunStore();
        var p0 = new RunPartition(0, 2);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.StartsWith($"A lease must end after now ({Now}); it ends at {Now}.", (await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryAcquireAsync(Day, p0, "me", Now, Now))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.CompleteAsync(null!));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.TryAcquireAsync(Day, p0, "me", Now, Now + Duration.FromMinutes(1), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.RenewAsync(Day, p0, "me", Now + Duration.FromMinutes(1), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.CompleteAsync(Result(p0), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.GetCompletedAsync(Day, 2, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.ResetAsync(Day, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.GetLatestCompletedAsync(2, Day, cancelled.Token));

        foreach (var p in new[] { p0, new RunPartition(1, 2) })
        {
            Assert.True(await store.TryAcquireAsync(Day, p, "me", Now, Now + Duration.FromMinutes(5)));
            Assert.True(await store.CompleteAsync(Result(p)));
        }

        Assert.Equal(Day, await store.GetLatestCompletedAsync(2, Day)); // the date itself counts
        Assert.Null(await store.GetLatestCompletedAsync(2, Day.PlusDays(-1)));
        Assert.Null(await store.GetLatestCompletedAsync(3, Day)); // another partitioning is another run
    }

    [Fact]
    public void A_summary_adds_its_partitions_and_spans_first_start_to_last_completion()
    {
        var a = Result(new RunPartition(0, 2)) with { Alerts = 2, PointsExpired = 3, StartedAt = Now, CompletedAt = Now + Duration.FromSeconds(10) };
        var b = Result(new RunPartition(1, 2)) with { Alerts = 5, PointsExpired = 4, StartedAt = Now + Duration.FromSeconds(2), CompletedAt = Now + Duration.FromSeconds(30) };

        var summary = new RunSummary(Day, 2, [a, b]);

        Assert.Equal((7, 7), (summary.Alerts, summary.PointsExpired));
        Assert.Equal(Duration.FromSeconds(30), summary.Duration);
        Assert.Equal(Duration.Zero, new RunSummary(Day, 2, []).Duration);
        Assert.True(summary.IsComplete);
    }

    [Fact]
    public async Task The_service_counts_partitions_another_instance_holds_and_says_so()
    {
        var world = new World(customers: 20);
        Assert.True(await world.Runs.TryAcquireAsync(Day, new RunPartition(1, 4), "other", Now, Now + Duration.FromHours(2)));
        await using var process = world.Process(Clocks.At(2026, 1, 20, 3), o => (o.At, o.CatchUpDays) = ("02:00", 3));
        var service = process.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<DailyRunService>().Single();

        var (due, incomplete) = await service.RunDueAsync(CancellationToken.None);

        Assert.Equal((Day, 1), (due, incomplete)); // three partitions run here, one held elsewhere
    }

    [Fact]
    public async Task The_instruments_and_spans_carry_their_documented_names_units_and_tags()
    {
        var world = new World(customers: 12);
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "RetentionKit.Hosting",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) { spans.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var process = world.Process(Clocks.At(2026, 2, 9, 3), o => { o.Partitions = 2; o.InstanceId = "named"; });
        var meters = process.GetRequiredService<IMeterFactory>();
        using var steps = new MetricCollector<double>(meters, "RetentionKit.Hosting", "retentionkit.run.step.duration");
        using var customers = new MetricCollector<long>(meters, "RetentionKit.Hosting", "retentionkit.run.customers");
        using var retries = new MetricCollector<long>(meters, "RetentionKit.Hosting", "retentionkit.run.retries");

        await process.GetRequiredService<DailyRun>().RunAsync(new LocalDate(2026, 2, 9));

        Assert.Equal(("s", "Time of one step of the run in one partition."), (steps.Instrument!.Unit, steps.Instrument.Description));
        Assert.Equal(("{customer}", "Customers the run served or failed."), (customers.Instrument!.Unit, customers.Instrument.Description));
        Assert.Equal(("{retry}", "Retries of a customer's step after an error."), (retries.Instrument!.Unit, retries.Instrument.Description));
        Assert.Equal(
            [RunSteps.History, RunSteps.Loyalty, RunSteps.Playbooks, RunSteps.Read, RunSteps.Score],
            steps.GetMeasurementSnapshot().Select(m => (string)m.Tags["retentionkit.run.step"]!).Distinct().Order(StringComparer.Ordinal));
        List<Activity> mine;
        lock (spans)
        {
            // Other tests' runs stop spans on other threads meanwhile: read the list under the listener's lock.
            mine = spans.Where(s => (string?)s.GetTagItem("retentionkit.run.date") == "2026-02-09").ToList();
        }
        var root = Assert.Single(mine, s => s.OperationName == "retentionkit.run");
        Assert.Equal("named", root.GetTagItem("retentionkit.run.instance"));
        Assert.Equal(true, root.GetTagItem("retentionkit.run.complete"));
        Assert.Equal(new object[] { 0, 1 }, mine.Where(s => s.OperationName == "retentionkit.run.partition").Select(s => s.GetTagItem("retentionkit.run.partition")!).OrderBy(i => (int)i));
        Assert.Contains(mine, s => s.OperationName == "retentionkit.run.step score" && (string?)s.GetTagItem("retentionkit.run.step") == RunSteps.Score);
    }

    private static PartitionResult Result(RunPartition partition) => new()
    {
        Date = Day,
        Partition = partition,
        Instance = "me",
        StartedAt = Now,
        CompletedAt = Now + Duration.FromSeconds(1),
    };
}
