using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using Polly;
using Polly.Retry;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;

namespace RetentionKit.Hosting.Tests;

/// <summary>The run's less travelled paths: leases lost mid-partition, a history that refuses bulk writes, a host with only some packages, the service after a failed run, the host's own retry pipeline (issue 21, from coverage).</summary>
public sealed class EdgeCaseTests
{
    private static readonly LocalDate Jan20 = new(2026, 1, 20);

    [Fact]
    public async Task A_lease_lost_between_steps_or_at_completion_records_nothing_and_a_later_run_completes_the_partition()
    {
        var world = new World(customers: 40);
        var losing = new LosingStore(world.Runs) { FailRenewalsAfter = 1 };
        await using (var process = world.Process(Clocks.At(2026, 1, 20, 3), more: s => s.AddSingleton<IDailyRunStore>(losing)))
        {
            using var partitions = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(process.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "RetentionKit.Hosting", "retentionkit.run.partitions");
            using var runs = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<double>(process.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "RetentionKit.Hosting", "retentionkit.run.duration");
            var summary = await process.GetRequiredService<DailyRun>().RunAsync(Jan20);
            Assert.Empty(summary.Completed); // every partition lost its lease after the read
            Assert.Equal(4, partitions.GetMeasurementSnapshot().Where(m => (string?)m.Tags["retentionkit.run.partition.outcome"] == "lost").Sum(m => m.Value));
            Assert.Equal("incomplete", Assert.Single(runs.GetMeasurementSnapshot()).Tags["retentionkit.run.outcome"]);
            Assert.Equal("Time of one date's run on this instance, from its first partition to its last.", runs.Instrument!.Description);
        }

        losing.FailRenewalsAfter = int.MaxValue;
        losing.RefuseCompletion = true;
        await using (var process = world.Process(Clocks.At(2026, 1, 20, 4), more: s => s.AddSingleton<IDailyRunStore>(losing)))
        {
            Assert.Empty((await process.GetRequiredService<DailyRun>().RunAsync(Jan20)).Completed);
        }

        losing.RefuseCompletion = false;
        await using (var process = world.Process(Clocks.At(2026, 1, 20, 5), more: s => s.AddSingleton<IDailyRunStore>(losing)))
        {
            var summary = await process.GetRequiredService<DailyRun>().RunAsync(Jan20);
            Assert.True(summary.IsComplete);
            using var partitions = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(process.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "RetentionKit.Hosting", "retentionkit.run.partitions");
            await process.GetRequiredService<DailyRun>().RunAsync(Jan20); // all complete now: every partition skipped
            Assert.Equal(4, partitions.GetMeasurementSnapshot().Where(m => (string?)m.Tags["retentionkit.run.partition.outcome"] == "skipped").Sum(m => m.Value));
            Assert.Equal(world.DeliveredKeys.Length, world.Channels.Sum(c => c.Delivered.Length)); // nothing delivered twice across the three runs
        }
    }

    [Fact]
    public async Task A_history_that_refuses_bulk_writes_is_written_customer_by_customer_and_one_bad_row_fails_one_customer()
    {
        var world = new World(customers: 30);
        var history = new PickyHistory(refuse: SyntheticCustomerSource.Id(7));
        await using var process = world.Process(Clocks.At(2026, 1, 20, 3), o => o.Retry.MaxAttempts = 2, more: s => s.AddSingleton<IScoreHistoryStore>(history));

        var summary = await process.GetRequiredService<DailyRun>().RunAsync(Jan20);

        var failure = Assert.Single(summary.Failures);
        Assert.Equal((SyntheticCustomerSource.Id(7), RunSteps.History, 2), (failure.Customer, failure.Step, failure.Attempts));
        Assert.Equal(summary.Customers - 1, history.Written);
        Assert.True(history.BulkRefusals > 0);
    }

    [Fact]
    public async Task A_host_with_scoring_only_scores_on_the_batch_path_and_keeps_the_summary()
    {
        var clock = Clocks.At(2026, 1, 20, 3);
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(clock);
        services.AddRetentionKit(kit => kit.AddScoring().AddDailyRun<BlankSource>(o => o.Partitions = 2));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        var run = provider.GetRequiredService<DailyRun>();

        var summary = await run.RunAsync(Jan20);
        var history = provider.GetRequiredService<IScoreHistoryStore>();

        Assert.Equal((2, 6, 6, 0, 0, 0), (summary.Completed.Length, summary.Customers, summary.Scored, summary.Delivered, summary.EnrolmentsStarted, summary.PointsExpired));
        Assert.Equal(Environment.MachineName, run.Instance);
        Assert.Equal(2, run.Partitions);
        var record = Assert.Single(await history.GetAsync(BlankSource.Id(0), Jan20, Jan20));
        Assert.Null(record.RetentionScore); // a customer with no measures has no score, not a zero
        Assert.Null(record.Band);
        var scored = Assert.Single(await history.GetAsync(BlankSource.Id(5), Jan20, Jan20));
        var expected = provider.GetRequiredService<ScoringEngine>().Score(new CustomerSnapshot(BlankSource.Id(5), Jan20) { Logins = 2, BaselineLogins = 20, EmailsSent = 10, EmailsOpened = 1, FeatureShare = 0.1, Nps = 3, SupportTickets = 6 });
        Assert.Equal((expected.Retention.Value!.Value, expected.Retention.Band!.Value, expected.Risk.Score!.Value, expected.Risk.ChurnProbability!.Value), (scored.RetentionScore!.Value, scored.Band!.Value, scored.RiskScore!.Value, scored.ChurnProbability!.Value), new ScoreComparer());
        Assert.True(summary.Duration >= Duration.Zero);
        Assert.Equal(Duration.Zero, new RunSummary(Jan20, 2, []).Duration);
        Assert.Equal(0, new RunSummary(Jan20, 2, []).Alerts);
    }

    [Fact]
    public async Task The_service_logs_a_failed_run_and_an_incomplete_one_then_tries_again_after_the_lease()
    {
        var world = new World(customers: 20);
        var clock = Clocks.At(2026, 1, 20, 3);
        var (logs, register) = Logs.Capture();
        var losing = new LosingStore(world.Runs) { ThrowOnAcquire = 1, FailRenewalsAfter = int.MaxValue };
        await using var process = world.Process(clock, o => (o.At, o.CatchUpDays, o.LeaseDuration) = ("02:00", 0, TimeSpan.FromMinutes(5)), more: s =>
        {
            register(s);
            s.AddSingleton<IDailyRunStore>(losing);
        });
        var service = process.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<DailyRunService>().Single();
        var sleeps = new List<Duration>();
        using var stop = new CancellationTokenSource();
        service.Delay = (d, ct) =>
        {
            sleeps.Add(d);
            clock.Advance(d);
            if (sleeps.Count >= 12 || world.Runs.GetCompletedAsync(Jan20, 4).AsTask().Result.Length == 4)
            {
                stop.Cancel();
            }

            return Task.CompletedTask;
        };

        await service.StartAsync(stop.Token);
        await (service.ExecuteTask ?? Task.CompletedTask);

        var records = logs.Collector.GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == 2112 && r.Level == LogLevel.Error);
        Assert.Equal(Duration.FromMinutes(5), sleeps[0]); // after the failure: the lease's length
        Assert.True((await process.GetRequiredService<DailyRun>().GetSummaryAsync(Jan20)).IsComplete, string.Join(", ", records.Select(r => $"{r.Id.Id}:{r.Message}")) + " | " + string.Join(", ", sleeps));
    }

    [Fact]
    public async Task A_retry_pipeline_the_host_registers_under_the_key_replaces_the_options_one()
    {
        var world = new World(customers: 30);
        var failing = SyntheticCustomerSource.Id(3);
        foreach (var channel in world.Channels)
        {
            channel.FailWhen(d => d.Customer.Customer == failing ? new TimeoutException("slow") : null);
        }

        await using var process = world.Process(Clocks.At(2026, 1, 20, 3), o => o.Retry.MaxAttempts = 2, more: s =>
            s.AddResiliencePipeline(DailyRun.RetryPipelineKey, b => b.AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 4, Delay = TimeSpan.Zero })));

        var summary = await process.GetRequiredService<DailyRun>().RunAsync(Jan20);

        Assert.Equal(5, Assert.Single(summary.Failures).Attempts); // the host's 1 + 4, not the options' 2
        Assert.Equal("customer", Assert.Throws<ArgumentException>(() => RunPartition.Of(default, 4)).ParamName);
    }

    /// <summary>Compares the recorded numbers with the explained score's, to the batch path's float precision.</summary>
    private sealed class ScoreComparer : IEqualityComparer<(double, RetentionBand, double, double)>
    {
        public bool Equals((double, RetentionBand, double, double) x, (double, RetentionBand, double, double) y) =>
            Math.Abs(x.Item1 - y.Item1) < 1e-3 && x.Item2 == y.Item2 && Math.Abs(x.Item3 - y.Item3) < 1e-3 && Math.Abs(x.Item4 - y.Item4) < 1e-4;

        public int GetHashCode((double, RetentionBand, double, double) obj) => obj.Item2.GetHashCode();
    }

    /// <summary>A run store that loses leases, refuses completions or fails on demand.</summary>
    private sealed class LosingStore(IDailyRunStore inner) : IDailyRunStore
    {
        private int _renewals;
        private int _acquires;

        public int FailRenewalsAfter { get; set; }

        public bool RefuseCompletion { get; set; }

        public int ThrowOnAcquire { get; set; }

        public async ValueTask<bool> TryAcquireAsync(LocalDate runDate, RunPartition partition, string instance, Instant now, Instant until, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _acquires) <= ThrowOnAcquire
                ? throw new InvalidOperationException("the database is down")
                : await inner.TryAcquireAsync(runDate, partition, instance, now, until, cancellationToken);

        public async ValueTask<bool> RenewAsync(LocalDate runDate, RunPartition partition, string instance, Instant until, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _renewals) <= FailRenewalsAfter * 4L && await inner.RenewAsync(runDate, partition, instance, until, cancellationToken);

        public ValueTask<bool> CompleteAsync(PartitionResult result, CancellationToken cancellationToken = default) =>
            RefuseCompletion ? ValueTask.FromResult(false) : inner.CompleteAsync(result, cancellationToken);

        public ValueTask<ImmutableArray<PartitionResult>> GetCompletedAsync(LocalDate runDate, int partitions, CancellationToken cancellationToken = default) => inner.GetCompletedAsync(runDate, partitions, cancellationToken);

        public ValueTask ResetAsync(LocalDate runDate, CancellationToken cancellationToken = default) => inner.ResetAsync(runDate, cancellationToken);

        public ValueTask<LocalDate?> GetLatestCompletedAsync(int partitions, LocalDate onOrBefore, CancellationToken cancellationToken = default) => inner.GetLatestCompletedAsync(partitions, onOrBefore, cancellationToken);
    }

    /// <summary>A history that refuses every bulk write and one customer's rows.</summary>
    private sealed class PickyHistory(CustomerId refuse) : IScoreHistoryStore
    {
        private int _written;
        private int _bulk;

        public int Written => _written;

        public int BulkRefusals => _bulk;

        public ValueTask RecordAsync(ScoreRecord record, CancellationToken cancellationToken = default)
        {
            if (record.Customer == refuse)
            {
                throw new InvalidOperationException("constraint violated");
            }

            Interlocked.Increment(ref _written);
            return ValueTask.CompletedTask;
        }

        public ValueTask RecordManyAsync(IEnumerable<ScoreRecord> records, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _bulk);
            throw new InvalidOperationException("bulk insert refused");
        }

        public ValueTask<IReadOnlyList<ScoreRecord>> GetAsync(CustomerId customer, LocalDate firstDate, LocalDate lastDate, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<ScoreRecord>>([]);
    }

    /// <summary>Five customers with no measures at all.</summary>
    private sealed class BlankSource : ICustomerDataSource
    {
        public static CustomerId Id(int i) => new($"blank-{i}");

        public async IAsyncEnumerable<CustomerDay> ReadAsync(LocalDate runDate, RunPartition partition, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            for (var i = 0; i < 6; i++)
            {
                if (partition.Contains(Id(i)))
                {
                    var snapshot = i < 5
                        ? new CustomerSnapshot(Id(i), runDate)
                        : new CustomerSnapshot(Id(i), runDate) { Logins = 2, BaselineLogins = 20, EmailsSent = 10, EmailsOpened = 1, FeatureShare = 0.1, Nps = 3, SupportTickets = 6 };
                    yield return new CustomerDay(snapshot, new CustomerState(Id(i), DateTimeZone.Utc, runDate.PlusDays(-100)));
                }
            }
        }
    }
}
