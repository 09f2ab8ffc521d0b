using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Polly;
using RetentionKit.Hosting.Internal;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;
using static RetentionKit.Hosting.Internal.HostingTelemetry;

namespace RetentionKit.Hosting;

/// <summary>
/// The daily run of one date: reads the customers from the host's <see cref="ICustomerDataSource"/> partition by
/// partition, scores them on the batch path, records the history and counts the alerts, expires points, runs the
/// playbooks over the channels, and records each partition's result in the <see cref="IDailyRunStore"/>.
/// </summary>
/// <remarks>
/// <para>
/// Idempotent per date: a partition that completed is not run again by <see cref="RunAsync"/>; one that was cut short
/// (a crash, a shutdown) runs again from its start, and everything it writes is keyed so that nothing is posted,
/// enrolled or delivered twice (scores are recorded again, replacing the day's record). <see cref="RerunAsync"/> runs
/// a date again on purpose with the same guarantee.
/// </para>
/// <para>
/// Fault isolation: a customer's step that throws is retried through the resilience pipeline
/// <see cref="RetryPipelineKey"/>; after the last attempt the customer is reported in the partition's
/// <see cref="PartitionResult.Failures"/>, skipped for the rest of the date, and the run goes on. Only cancellation, the
/// source or the run store failing stops a partition (its lease then expires, and it runs again).
/// </para>
/// <para>Services are resolved in a scope per run, so stores registered scoped (a DbContext) work.</para>
/// </remarks>
public sealed class DailyRun
{
    /// <summary>
    /// The key under which a host may register its own retry pipeline in Polly's registry
    /// (<c>services.AddResiliencePipeline(DailyRun.RetryPipelineKey, …)</c>, from Polly.Extensions); without one the run
    /// retries as <see cref="RunOptions.Retry"/> says.
    /// </summary>
    public const string RetryPipelineKey = "RetentionKit.DailyRun.Customer";

    private readonly IServiceScopeFactory _scopes;
    private readonly IClock _clock;
    private readonly RunOptions _options;
    private readonly string _instance;
    private readonly ResiliencePipeline _retry;
    private readonly ILogger _logger;
    private readonly HostingTelemetry _telemetry;

    internal DailyRun(IServiceScopeFactory scopes, IClock clock, RunOptions options, ResiliencePipeline retry, ILogger? logger, HostingTelemetry telemetry)
    {
        (_scopes, _clock, _options, _retry, _telemetry) = (scopes, clock, options, retry, telemetry);
        _logger = logger ?? NullLogger.Instance;
        _instance = string.IsNullOrWhiteSpace(options.InstanceId) ? Environment.MachineName : options.InstanceId;
    }

    /// <summary>Gets the name this instance takes leases under.</summary>
    public string Instance => _instance;

    /// <summary>Gets the number of partitions a date is split into.</summary>
    public int Partitions => _options.Partitions;

    /// <summary>
    /// Runs a date: every partition not yet completed and not leased by another instance. Returns the date's summary
    /// as the store holds it, which is complete when every partition has completed (here or on another instance).
    /// </summary>
    /// <param name="date">The date, in the run's zone.</param>
    /// <param name="cancellationToken">Stops the run between customers (host shutdown); the next run resumes.</param>
    /// <returns>The date's summary.</returns>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public async ValueTask<RunSummary> RunAsync(LocalDate date, CancellationToken cancellationToken = default)
    {
        using var activity = Source.StartActivity("retentionkit.run");
        activity?.SetTag("retentionkit.run.date", date.ToString("uuuu-MM-dd", null));
        activity?.SetTag("retentionkit.run.instance", _instance);
        var started = Stopwatch.GetTimestamp();
        Log.RunStarting(_logger, date, _options.Partitions, _instance);

        await using var scope = _scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var store = services.GetRequiredService<IDailyRunStore>();

        // Instances start at different partitions, so that two starting together do not queue for the same lease.
        var count = _options.Partitions;
        var offset = RunPartition.Of(new CustomerId(_instance), count);
        for (var i = 0; i < count; i++)
        {
            var partition = new RunPartition((offset + i) % count, count);
            var now = _clock.GetCurrentInstant();
            if (!await store.TryAcquireAsync(date, partition, _instance, now, now + Duration.FromTimeSpan(_options.LeaseDuration), cancellationToken).ConfigureAwait(false))
            {
                Log.PartitionSkipped(_logger, date, partition);
                _telemetry.Partitions.Add(1, Tag("retentionkit.run.partition.outcome", "skipped"));
                continue;
            }

            await RunPartitionAsync(services, store, date, partition, cancellationToken).ConfigureAwait(false);
        }

        var summary = new RunSummary(date, count, await store.GetCompletedAsync(date, count, cancellationToken).ConfigureAwait(false));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        _telemetry.RunDuration.Record(seconds, Tag("retentionkit.run.outcome", summary.IsComplete ? "complete" : "incomplete"));
        activity?.SetTag("retentionkit.run.complete", summary.IsComplete);
        Log.RunFinished(_logger, date, summary.Completed.Length, count, summary.Customers, summary.Delivered, summary.Failures.Length, seconds);
        return summary;
    }

    /// <summary>Runs a date again from the start on purpose: scores are recorded again; nothing is posted, enrolled or delivered twice.</summary>
    /// <param name="date">The date.</param>
    /// <param name="cancellationToken">Stops the run between customers.</param>
    /// <returns>The date's summary.</returns>
    public async ValueTask<RunSummary> RerunAsync(LocalDate date, CancellationToken cancellationToken = default)
    {
        await ResetAsync(date, cancellationToken).ConfigureAwait(false);
        return await RunAsync(date, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Forgets a date's leases and results, so that every instance runs it again (on purpose: nothing is posted,
    /// enrolled or delivered twice). <see cref="RerunAsync"/> is this followed by a run here; a cluster's coordinator
    /// resets, then hands the partitions out.
    /// </summary>
    /// <param name="date">The date.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the date is forgotten.</returns>
    public async ValueTask ResetAsync(LocalDate date, CancellationToken cancellationToken = default)
    {
        await using var scope = _scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IDailyRunStore>().ResetAsync(date, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets a date's summary as the store holds it.</summary>
    /// <param name="date">The date.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The summary; not complete while partitions are left.</returns>
    public async ValueTask<RunSummary> GetSummaryAsync(LocalDate date, CancellationToken cancellationToken = default)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IDailyRunStore>();
        return new RunSummary(date, _options.Partitions, await store.GetCompletedAsync(date, _options.Partitions, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The latest date on or before <paramref name="onOrBefore"/> whose partitions have all completed.</summary>
    internal async ValueTask<LocalDate?> GetLatestCompletedAsync(LocalDate onOrBefore, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IDailyRunStore>().GetLatestCompletedAsync(_options.Partitions, onOrBefore, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one partition of a date, for a host that spreads the partitions over machines itself (RetentionKit.Orleans'
    /// coordinator hands each partition to a silo): the partition is run under this instance's lease, as
    /// <see cref="RunAsync"/> runs each of its partitions.
    /// </summary>
    /// <param name="date">The date, in the run's zone.</param>
    /// <param name="partition">The partition; its count is the one the date is split into.</param>
    /// <param name="cancellationToken">Stops the run between customers; the lease then expires and the partition runs again.</param>
    /// <returns>
    /// The partition's result when it is completed — by this call, or already before it (the stored result is returned
    /// and nothing runs again); null when another instance holds its lease or took it over during the run (ask again
    /// once that lease may have expired).
    /// </returns>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public async ValueTask<PartitionResult?> RunPartitionAsync(LocalDate date, RunPartition partition, CancellationToken cancellationToken = default)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IDailyRunStore>();
        var now = _clock.GetCurrentInstant();
        if (await store.TryAcquireAsync(date, partition, _instance, now, now + Duration.FromTimeSpan(_options.LeaseDuration), cancellationToken).ConfigureAwait(false))
        {
            await RunPartitionAsync(scope.ServiceProvider, store, date, partition, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Log.PartitionSkipped(_logger, date, partition);
            _telemetry.Partitions.Add(1, Tag("retentionkit.run.partition.outcome", "skipped"));
        }

        var completed = await store.GetCompletedAsync(date, partition.Count, cancellationToken).ConfigureAwait(false);
        return completed.FirstOrDefault(r => r.Partition == partition);
    }

    /// <summary>
    /// Runs one customer's playbooks now, as the nightly run would for today: reads the customer's day
    /// (<see cref="ICustomerDataSource.ReadCustomerAsync"/>), scores it with its override, reads the score's trend, and
    /// runs the playbooks for today's date in the run's zone. For steps sent at their own time
    /// (<see cref="PlaybookStep.SendAt"/>): RetentionKit.Orleans' reminders call it at that time. Nothing is delivered
    /// twice: what the nightly run sent is recorded, and a step not yet due is held again.
    /// </summary>
    /// <param name="customer">The customer.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>What the playbooks did; null when the source does not have the customer today or no playbooks are registered.</returns>
    public async ValueTask<PlaybookRunReport?> RunCustomerAsync(CustomerId customer, CancellationToken cancellationToken = default)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var date = _clock.GetCurrentInstant().InZone(RunSchedule.From(_options).Zone).Date;
        if (services.GetService<PlaybookRunner>() is not { } runner
            || await services.GetRequiredService<ICustomerDataSource>().ReadCustomerAsync(date, customer, cancellationToken).ConfigureAwait(false) is not { } day)
        {
            return null;
        }

        var state = day.State;
        if (services.GetService<ScoringEngine>() is { } engine)
        {
            var scoreOverride = services.GetService<IScoreOverrideStore>() is { } overrides ? await overrides.GetAsync(customer, cancellationToken).ConfigureAwait(false) : null;
            state = state with { Score = engine.Score(day.Snapshot, scoreOverride) };
        }

        if (services.GetService<ScoringService>() is { } scoring && services.GetService<IScoreHistoryStore>() is not null)
        {
            state = state with { RetentionScoreChange = (await scoring.TrendAsync(customer, date, cancellationToken).ConfigureAwait(false)).Delta };
        }

        return await runner.RunAsync([state], date, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask RunPartitionAsync(IServiceProvider services, IDailyRunStore store, LocalDate date, RunPartition partition, CancellationToken cancellationToken)
    {
        using var activity = Source.StartActivity("retentionkit.run.partition");
        activity?.SetTag("retentionkit.run.date", date.ToString("uuuu-MM-dd", null));
        activity?.SetTag("retentionkit.run.partition", partition.Index);
        var work = new PartitionWork(this, services, store, date, partition);
        var startedAt = _clock.GetCurrentInstant();
        var started = Stopwatch.GetTimestamp();

        var customers = await work.StepAsync(RunSteps.Read, () => work.ReadAsync(cancellationToken)).ConfigureAwait(false);
        var scores = await work.StepAsync(RunSteps.Score, () => work.ScoreAsync(customers, cancellationToken)).ConfigureAwait(false);
        await work.StepAsync(RunSteps.History, () => work.HistoryAsync(scores, cancellationToken)).ConfigureAwait(false);
        await work.StepAsync(RunSteps.Loyalty, () => work.LoyaltyAsync(customers, cancellationToken)).ConfigureAwait(false);
        await work.StepAsync(RunSteps.Playbooks, () => work.PlaybooksAsync(customers, scores, cancellationToken)).ConfigureAwait(false);
        if (work.LeaseLost)
        {
            return;
        }

        var result = work.Result(customers.Count, startedAt, _clock.GetCurrentInstant());
        if (!await store.CompleteAsync(result, cancellationToken).ConfigureAwait(false))
        {
            work.LoseLease();
            return;
        }

        _telemetry.Partitions.Add(1, Tag("retentionkit.run.partition.outcome", "completed"));
        _telemetry.Customers.Add(result.Customers - result.Failures.Length, Tag("retentionkit.run.customer.outcome", "served"));
        _telemetry.Customers.Add(result.Failures.Length, Tag("retentionkit.run.customer.outcome", "failed"));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Log.PartitionCompleted(_logger, date, partition, result.Customers, result.Failures.Length, seconds);
    }

    /// <summary>One partition's work on a date: its customers, who failed, the counts.</summary>
    private sealed class PartitionWork(DailyRun run, IServiceProvider services, IDailyRunStore store, LocalDate date, RunPartition partition)
    {
        private readonly Dictionary<CustomerId, RunFailure> _failed = [];
        private readonly ImmutableArray<StepTiming>.Builder _steps = ImmutableArray.CreateBuilder<StepTiming>();
        private readonly Dictionary<CustomerId, ScoreTrend> _trends = [];
        private int _alerts;
        private int _expired;
        private int _started;
        private int _delivered;
        private int _scored;

        public bool LeaseLost { get; private set; }

        public void LoseLease()
        {
            LeaseLost = true;
            run._telemetry.Partitions.Add(1, Tag("retentionkit.run.partition.outcome", "lost"));
            Log.LeaseLost(run._logger, date, partition);
        }

        public async ValueTask<T> StepAsync<T>(string step, Func<ValueTask<T>> body)
        {
            if (LeaseLost)
            {
                return default!;
            }

            using var activity = Source.StartActivity("retentionkit.run.step " + step);
            activity?.SetTag("retentionkit.run.date", date.ToString("uuuu-MM-dd", null));
            activity?.SetTag("retentionkit.run.partition", partition.Index);
            activity?.SetTag("retentionkit.run.step", step);
            var started = Stopwatch.GetTimestamp();
            var value = await body().ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            _steps.Add(new StepTiming(step, Duration.FromTimeSpan(elapsed)));
            run._telemetry.StepDuration.Record(elapsed.TotalSeconds, Tag("retentionkit.run.step", step));

            // A step can outlast the lease; renewing after each one keeps it, or finds it lost before more is done twice.
            var until = run._clock.GetCurrentInstant() + Duration.FromTimeSpan(run._options.LeaseDuration);
            if (!await store.RenewAsync(date, partition, run._instance, until).ConfigureAwait(false))
            {
                LoseLease();
            }

            return value;
        }

        public async ValueTask<bool> StepAsync(string step, Func<ValueTask> body) =>
            await StepAsync(step, async () =>
            {
                await body().ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);

        public async ValueTask<List<CustomerDay>> ReadAsync(CancellationToken cancellationToken)
        {
            var source = services.GetRequiredService<ICustomerDataSource>();
            var customers = new List<CustomerDay>();
            var seen = new HashSet<CustomerId>();
            await foreach (var day in source.ReadAsync(date, partition, cancellationToken).ConfigureAwait(false))
            {
                if (day is null)
                {
                    throw new InvalidOperationException($"The customer data source ({source.GetType().Name}) returned a null CustomerDay for {date:uuuu-MM-dd}.");
                }

                var id = day.Snapshot.Customer;
                if (!partition.Contains(id))
                {
                    continue;
                }

                if (!seen.Add(id))
                {
                    Fail(id, RunSteps.Read, "the source gave the customer twice for the date; the first was kept", 1);
                    continue;
                }

                if (day.State.Customer != id || day.Snapshot.AsOf != date)
                {
                    Fail(id, RunSteps.Read, day.State.Customer != id
                        ? $"the snapshot is customer {id}'s and the state customer {day.State.Customer}'s"
                        : $"the snapshot is dated {day.Snapshot.AsOf:uuuu-MM-dd}, not the run's date {date:uuuu-MM-dd}", 1);
                }

                customers.Add(day);
            }

            return customers;
        }

        public async ValueTask<Scores> ScoreAsync(List<CustomerDay> customers, CancellationToken cancellationToken)
        {
            var scores = new Scores(new ScoreRecord?[customers.Count], new CustomerScore?[customers.Count]);
            if (services.GetService<ScoringEngine>() is not { } engine)
            {
                return scores;
            }

            // The batch path gives every customer's numbers; the explained score is made only where it is read (by the
            // playbooks' triggers) or where an override applies, and then gives the same numbers.
            var explain = services.GetService<PlaybookRunner>() is not null;
            var overrides = services.GetService<IScoreOverrideStore>();
            var batchSize = Math.Min(run._options.BatchSize, Math.Max(1, customers.Count));
            var batch = engine.CreateBatch(batchSize);
            var results = new BatchScore[batchSize];
            for (var first = 0; first < customers.Count; first += batchSize)
            {
                var n = Math.Min(batchSize, customers.Count - first);
                batch.Clear();
                for (var row = 0; row < n; row++)
                {
                    batch.Write(row, customers[first + row].Snapshot);
                }

                engine.ScoreBatch(batch, results.AsSpan(0, n));
                for (var row = 0; row < n; row++)
                {
                    var snapshot = customers[first + row].Snapshot;
                    var scoreOverride = overrides is null || _failed.ContainsKey(snapshot.Customer)
                        ? default
                        : await ForCustomerAsync(snapshot.Customer, RunSteps.Score, ct => overrides.GetAsync(snapshot.Customer, ct), cancellationToken).ConfigureAwait(false);
                    if (_failed.ContainsKey(snapshot.Customer))
                    {
                        continue;
                    }

                    if (explain || scoreOverride.Value is not null)
                    {
                        var score = engine.Score(snapshot, scoreOverride.Value);
                        scores.Explained[first + row] = score;
                        scores.Records[first + row] = ScoreRecord.From(score);
                    }
                    else
                    {
                        scores.Records[first + row] = Record(snapshot, results[row]);
                    }

                    _scored++;
                }
            }

            return scores;
        }

        private static ScoreRecord Record(CustomerSnapshot snapshot, in BatchScore score) => new(
            snapshot.Customer,
            snapshot.AsOf,
            snapshot.ObservedOn,
            double.IsNaN(score.RetentionScore) ? null : score.RetentionScore,
            double.IsNaN(score.RetentionScore) ? null : score.Band,
            double.IsNaN(score.RiskScore) ? null : score.RiskScore,
            score.Level,
            double.IsNaN(score.ChurnProbability) ? null : score.ChurnProbability);

        public async ValueTask HistoryAsync(Scores scores, CancellationToken cancellationToken)
        {
            var history = services.GetService<IScoreHistoryStore>();
            var scoring = services.GetService<ScoringService>();
            if (history is null)
            {
                return;
            }

            var records = new List<ScoreRecord>(scores.Records.Length);
            foreach (var record in scores.Records)
            {
                if (record is not null && !_failed.ContainsKey(record.Customer))
                {
                    records.Add(record);
                }
            }

            // One bulk write; if it keeps failing, customer by customer, so that one bad row fails one customer.
            try
            {
                await run._retry.ExecuteAsync(async ct => await history.RecordManyAsync(records, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                foreach (var record in records)
                {
                    await ForCustomerAsync(record.Customer, RunSteps.History, async ct =>
                    {
                        await history.RecordAsync(record, ct).ConfigureAwait(false);
                        return true;
                    }, cancellationToken).ConfigureAwait(false);
                }
            }

            if (scoring is null)
            {
                return;
            }

            foreach (var record in records)
            {
                if (_failed.ContainsKey(record.Customer))
                {
                    continue;
                }

                var trend = await ForCustomerAsync(record.Customer, RunSteps.History, ct => scoring.TrendAsync(record.Customer, date, ct), cancellationToken).ConfigureAwait(false);
                if (trend.Value is { } t)
                {
                    _trends[record.Customer] = t;
                    _alerts += t.Alerts.Length;
                }
            }
        }

        public async ValueTask LoyaltyAsync(List<CustomerDay> customers, CancellationToken cancellationToken)
        {
            if (services.GetService<LoyaltyLedger>() is not { } ledger)
            {
                return;
            }

            foreach (var day in customers)
            {
                var id = day.Snapshot.Customer;
                if (_failed.ContainsKey(id))
                {
                    continue;
                }

                var expired = await ForCustomerAsync(id, RunSteps.Loyalty, ct => ledger.ExpireAsync(id, ct), cancellationToken).ConfigureAwait(false);
                _expired += expired.Value.IsDefault ? 0 : expired.Value.Length;
            }
        }

        public async ValueTask PlaybooksAsync(List<CustomerDay> customers, Scores scores, CancellationToken cancellationToken)
        {
            if (services.GetService<PlaybookRunner>() is not { } runner)
            {
                return;
            }

            for (var i = 0; i < customers.Count; i++)
            {
                var id = customers[i].Snapshot.Customer;
                if (_failed.ContainsKey(id))
                {
                    continue;
                }

                var state = customers[i].State with
                {
                    Score = scores.Explained[i] ?? customers[i].State.Score,
                    RetentionScoreChange = _trends.TryGetValue(id, out var trend) ? trend.Delta : customers[i].State.RetentionScoreChange,
                };
                var report = await ForCustomerAsync(id, RunSteps.Playbooks, async ct =>
                {
                    var report = await runner.RunAsync([state], date, ct).ConfigureAwait(false);
                    if (!report.Failures.IsEmpty)
                    {
                        // The runner isolates failures; here a failure is retried, so it is thrown again.
                        ExceptionDispatchInfo.Capture(report.Failures[0].Error).Throw();
                    }

                    return report;
                }, cancellationToken).ConfigureAwait(false);
                if (report.Value is { } done)
                {
                    _started += done.Started;
                    _delivered += done.Delivered.Length;
                }
            }
        }

        public PartitionResult Result(int customers, Instant startedAt, Instant completedAt) => new()
        {
            Date = date,
            Partition = partition,
            Instance = run._instance,
            StartedAt = startedAt,
            CompletedAt = completedAt,
            Customers = customers,
            Scored = _scored,
            Alerts = _alerts,
            PointsExpired = _expired,
            EnrolmentsStarted = _started,
            Delivered = _delivered,
            Failures = [.. _failed.Values],
            Steps = _steps.ToImmutable(),
        };

        /// <summary>Runs one customer's call through the retry pipeline; after the last attempt the customer fails for the date.</summary>
        private async ValueTask<Outcome<T>> ForCustomerAsync<T>(CustomerId customer, string step, Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
        {
            var attempts = 0;
            try
            {
                var value = await run._retry.ExecuteAsync(
                    async ct =>
                    {
                        if (++attempts > 1)
                        {
                            run._telemetry.Retries.Add(1, Tag("retentionkit.run.step", step));
                        }

                        return await call(ct).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);
                return new Outcome<T>(value);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Fail(customer, step, $"{ex.GetType().Name}: {ex.Message}", attempts, ex.GetType());
                return default;
            }
        }

        private void Fail(CustomerId customer, string step, string reason, int attempts, Type? errorType = null)
        {
            if (_failed.TryAdd(customer, new RunFailure(customer, step, reason, attempts)))
            {
                Log.CustomerFailed(run._logger, date, step, attempts, errorType ?? typeof(ArgumentException));
                Log.CustomerFailedDetail(run._logger, date, step, customer);
            }
        }
    }

    /// <summary>The partition's scores: every customer's record, and the explained score where it was made.</summary>
    private sealed record Scores(ScoreRecord?[] Records, CustomerScore?[] Explained);

    /// <summary>A value, or nothing when the customer failed.</summary>
    private readonly record struct Outcome<T>(T? Value);
}
