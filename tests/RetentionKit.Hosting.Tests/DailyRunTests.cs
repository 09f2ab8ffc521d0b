using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using RetentionKit.Playbooks;

namespace RetentionKit.Hosting.Tests;

public sealed class DailyRunTests
{
    private static readonly LocalDate Jan20 = new(2026, 1, 20);

    [Fact]
    public async Task A_run_reads_scores_records_and_delivers_every_customer_once_and_keeps_its_summary()
    {
        var world = new World();
        var clock = Clocks.At(2026, 1, 20, 3);
        await using var process = world.Process(clock);
        var run = process.GetRequiredService<DailyRun>();

        var summary = await run.RunAsync(Jan20);

        Assert.True(summary.IsComplete);
        Assert.Equal(4, summary.Completed.Length);
        var expected = world.Source.Reads.Count;
        Assert.True(expected > 15, $"the synthetic base has {expected} customers on the date");
        Assert.Equal(expected, summary.Customers);
        Assert.Equal(expected, summary.Scored);
        Assert.All(world.Source.Reads.Values, n => Assert.Equal(1, n));
        Assert.Empty(summary.Failures);
        Assert.True(summary.Delivered > 0);
        Assert.Equal(world.DeliveredKeys.Length, summary.Delivered);
        Assert.Equal(summary.EnrolmentsStarted, world.EnrolmentRows.Length);
        var history = await world.History.GetAsync(SyntheticCustomerSource.Id(0), Jan20, Jan20);
        Assert.Single(history);
        Assert.Equal(summary, await run.GetSummaryAsync(Jan20), SummaryComparer.Instance);
        Assert.All(RunStepsInOrder, step => Assert.True(summary.StepDuration(step) >= Duration.Zero));
        Assert.All(summary.Completed, p => Assert.Equal(RunStepsInOrder, p.Steps.Select(s => s.Step)));
    }

    [Fact]
    public async Task RunPartitionAsync_runs_one_partition_under_the_lease_returns_its_stored_result_after_and_null_while_another_instance_holds_it()
    {
        var world = new World();
        var clock = Clocks.At(2026, 1, 20, 3);
        await using var a = world.Process(clock, o => o.InstanceId = "a");
        await using var b = world.Process(clock, o => o.InstanceId = "b");
        var runA = a.GetRequiredService<DailyRun>();
        var runB = b.GetRequiredService<DailyRun>();
        var first = new RunPartition(1, 4);

        // b holds partition 2's lease: a is refused it and gets nothing back; a takes partition 1 and completes it.
        Assert.True(await world.Runs.TryAcquireAsync(Jan20, new RunPartition(2, 4), "b", clock.GetCurrentInstant(), clock.GetCurrentInstant() + Duration.FromMinutes(5)));
        Assert.Null(await runA.RunPartitionAsync(Jan20, new RunPartition(2, 4)));
        var result = await runA.RunPartitionAsync(Jan20, first);

        Assert.NotNull(result);
        Assert.Equal(first, result.Partition);
        Assert.Equal("a", result.Instance);
        var read = world.Source.Reads.Keys.Where(k => k.Date == Jan20).Select(k => k.Customer).ToArray();
        Assert.NotEmpty(read);
        Assert.All(read, c => Assert.True(first.Contains(c), $"{c} is not in {first}"));
        Assert.Equal(read.Length, result.Customers);

        // Asked again (by either instance) the partition is not run again: the stored result comes back.
        Assert.Equal(result, await runB.RunPartitionAsync(Jan20, first), SummaryComparer.Partition);
        Assert.All(world.Source.Reads.Values, n => Assert.Equal(1, n));

        // Once b's lease has expired, a takes partition 2 over.
        clock.Advance(Duration.FromMinutes(6));
        Assert.Equal("a", (await runA.RunPartitionAsync(Jan20, new RunPartition(2, 4)))?.Instance);
        Assert.Equal(2, (await runA.GetSummaryAsync(Jan20)).Completed.Length);
    }

    [Fact]
    public async Task Steps_with_a_send_time_are_held_by_the_nightly_run_and_sent_by_each_customers_own_run_at_that_time_exactly_as_the_nightly_run_alone_sends_them()
    {
        // Ten days: a host without send times, and one whose steps wait until 10:00 and are sent by the scheduled runs.
        var plain = new World();
        var timed = new World();
        var scheduled = new ConcurrentQueue<(CustomerId Customer, Instant At)>();
        var clock = Clocks.At(2026, 1, 15, 3);
        await using var one = plain.Process(clock);
        await using var other = timed.Process(clock, more: s => s
            .AddSingleton<IPlaybookStepScheduler>(new QueueScheduler(scheduled))
            .Configure<PlaybookOptions>(o => o.SendAt = "10:00"));
        var sent = new List<(string Key, Instant At)>();
        for (var date = new LocalDate(2026, 1, 15); date < new LocalDate(2026, 1, 25); date = date.PlusDays(1))
        {
            clock.Reset(date.At(new LocalTime(3, 0)).InUtc().ToInstant());
            var night = await other.GetRequiredService<DailyRun>().RunAsync(date);
            var alone = await one.GetRequiredService<DailyRun>().RunAsync(date);
            Assert.Equal(0, night.Delivered); // everything waits for 10:00

            clock.Reset(date.At(new LocalTime(10, 0)).InUtc().ToInstant());
            var delivered = 0;
            while (scheduled.TryDequeue(out var due))
            {
                Assert.Equal(clock.GetCurrentInstant(), due.At);
                delivered += (await other.GetRequiredService<DailyRun>().RunCustomerAsync(due.Customer))!.Delivered.Length;
            }

            Assert.Equal(alone.Delivered, delivered);
            Assert.Equal(plain.DeliveredKeys, timed.DeliveredKeys);
        }

        Assert.Equal(plain.EnrolmentRows, timed.EnrolmentRows);
        Assert.True(timed.DeliveredKeys.Length > 30, $"{timed.DeliveredKeys.Length} deliveries");
        Assert.All(timed.Channels, c => Assert.Equal(0, c.Repeats));
        Assert.Null(await other.GetRequiredService<DailyRun>().RunCustomerAsync(new CustomerId("nobody")));
    }

    private sealed class QueueScheduler(ConcurrentQueue<(CustomerId, Instant)> queue) : IPlaybookStepScheduler
    {
        public ValueTask ScheduleAsync(CustomerId customer, Instant at, CancellationToken cancellationToken = default)
        {
            queue.Enqueue((customer, at));
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task Running_a_completed_date_again_does_nothing_and_a_rerun_delivers_nothing_twice()
    {
        var world = new World();
        var clock = Clocks.At(2026, 1, 20, 3);
        await using var process = world.Process(clock);
        var run = process.GetRequiredService<DailyRun>();
        var first = await run.RunAsync(Jan20);
        var delivered = world.DeliveredKeys;
        var enrolments = world.EnrolmentRows;

        var again = await run.RunAsync(Jan20);
        Assert.All(world.Source.Reads.Values, n => Assert.Equal(1, n)); // completed partitions are not read again
        Assert.Equal(first.Customers, again.Customers);

        var rerun = await run.RerunAsync(Jan20);
        Assert.All(world.Source.Reads.Values, n => Assert.Equal(2, n)); // read and scored again...
        Assert.Equal(first.Customers, rerun.Scored);
        Assert.Equal(0, rerun.Delivered); // ...but nothing delivered or enrolled twice
        Assert.Equal(0, rerun.EnrolmentsStarted);
        Assert.Equal(delivered, world.DeliveredKeys);
        Assert.Equal(enrolments, world.EnrolmentRows);
        Assert.All(world.Channels, c => Assert.Equal(0, c.Repeats));
    }

    [Fact]
    public async Task A_channel_failing_for_one_customer_in_ten_leaves_the_others_served_and_the_failures_reported_after_every_attempt()
    {
        var world = new World(customers: 200);
        var failing = new HashSet<CustomerId>(Enumerable.Range(0, 200).Where(i => i % 10 == 4).Select(SyntheticCustomerSource.Id));
        foreach (var channel in world.Channels)
        {
            channel.FailWhen(d => failing.Contains(d.Customer.Customer) ? new IOException("provider timed out") : null);
        }

        var clock = Clocks.At(2026, 1, 20, 3);
        await using var process = world.Process(clock, o => o.Retry.MaxAttempts = 3);
        var summary = await process.GetRequiredService<DailyRun>().RunAsync(Jan20);

        Assert.True(summary.IsComplete);
        var failed = summary.Failures.Select(f => f.Customer).ToHashSet();
        Assert.NotEmpty(failed);
        Assert.Subset(failing, failed); // only the failing customers fail...
        Assert.All(summary.Failures, f =>
        {
            Assert.Equal(RunSteps.Playbooks, f.Step);
            Assert.Equal(3, f.Attempts);
            Assert.Equal("IOException: provider timed out", f.Reason);
        });
        var attempts = world.Channels.SelectMany(c => c.Attempts).Where(d => failing.Contains(d.Customer.Customer)).GroupBy(d => d.Customer.Customer);
        Assert.All(attempts, g => Assert.Equal(3, g.Count())); // tried three times, the first step each time, then left

        // ...and every other customer got what an undisturbed run gives them.
        var calm = new World(customers: 200);
        await using var calmProcess = calm.Process(Clocks.At(2026, 1, 20, 3));
        await calmProcess.GetRequiredService<DailyRun>().RunAsync(Jan20);
        var served = calm.DeliveredKeys.Where(k => !failing.Any(f => k.Contains(f.Value, StringComparison.Ordinal)));
        Assert.Equal(served, world.DeliveredKeys);
        Assert.True(world.DeliveredKeys.Length > 5 * failed.Count, "the other customers were served");
    }

    [Fact]
    public async Task A_customer_the_source_gives_twice_or_with_another_date_is_reported_not_scored_twice()
    {
        var world = new World();
        await using var process = world.Process(Clocks.At(2026, 1, 20, 3), o => o.Partitions = 1, s => s.AddSingleton<ICustomerDataSource>(new BrokenSource(Jan20)));
        var summary = await process.GetRequiredService<DailyRun>().RunAsync(Jan20);

        Assert.Equal(3, summary.Customers);
        Assert.Equal(1, summary.Scored);
        Assert.Collection(
            summary.Failures.OrderBy(f => f.Customer),
            f => Assert.Equal((new CustomerId("a"), RunSteps.Read, "the source gave the customer twice for the date; the first was kept"), (f.Customer, f.Step, f.Reason)),
            f => Assert.Equal((new CustomerId("b"), RunSteps.Read, "the snapshot is dated 2026-01-19, not the run's date 2026-01-20"), (f.Customer, f.Step, f.Reason)));
    }

    private static readonly string[] RunStepsInOrder = [RunSteps.Read, RunSteps.Score, RunSteps.History, RunSteps.Loyalty, RunSteps.Playbooks];

    private sealed class BrokenSource(LocalDate date) : ICustomerDataSource
    {
        public async IAsyncEnumerable<CustomerDay> ReadAsync(LocalDate runDate, RunPartition partition, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            yield return Day("a", date);
            yield return Day("a", date);
            yield return Day("b", date.PlusDays(-1));
            yield return Day("c", date);
        }

        private static CustomerDay Day(string id, LocalDate on) =>
            new(new Scoring.CustomerSnapshot(new CustomerId(id), on) { Logins = 3 }, new CustomerState(new CustomerId(id), DateTimeZone.Utc, on.PlusDays(-400)));
    }
}

/// <summary>Compares summaries by what they hold.</summary>
internal sealed class SummaryComparer : IEqualityComparer<RunSummary>
{
    public static readonly SummaryComparer Instance = new();

    public static readonly IEqualityComparer<PartitionResult?> Partition = PartitionComparer.Instance;

    public bool Equals(RunSummary? x, RunSummary? y) =>
        x is not null && y is not null && x.Date == y.Date && x.Partitions == y.Partitions && x.Completed.SequenceEqual(y.Completed, PartitionComparer.Instance);

    public int GetHashCode(RunSummary obj) => obj.Date.GetHashCode();

    private sealed class PartitionComparer : IEqualityComparer<PartitionResult?>
    {
        public static readonly PartitionComparer Instance = new();

        public bool Equals(PartitionResult? x, PartitionResult? y) =>
            x is not null && y is not null && x with { Failures = [], Steps = [] } == y with { Failures = [], Steps = [] }
            && x.Failures.SequenceEqual(y.Failures) && x.Steps.SequenceEqual(y.Steps);

        public int GetHashCode(PartitionResult? obj) => obj?.Partition.GetHashCode() ?? 0;
    }
}
