using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime.Text;
using Orleans;
using Orleans.Placement;
using Orleans.Runtime;
using RetentionKit.Hosting;

namespace RetentionKit.Orleans;

/// <summary>
/// The daily run of one date over the cluster, keyed by the date (<c>yyyy-MM-dd</c>): it hands each partition of the
/// date (<see cref="RunOptions.Partitions"/>) to a partition grain, which Orleans places on a silo, and gathers the
/// results. A silo that leaves mid-run takes its partitions' activations with it; the coordinator finds them gone and
/// starts them again, Orleans places them on the silos left, and the new silo takes each partition over once the lost
/// silo's lease has expired (<see cref="RunOptions.LeaseDuration"/>). Partitions are run by
/// <see cref="DailyRun.RunPartitionAsync"/>, so the single-host run's guarantees hold: a completed partition is not run
/// again; nothing is posted, enrolled or delivered twice.
/// </summary>
/// <remarks>
/// A run lasts longer than a call may, so it is started and then watched: <see cref="DailyRunGrainExtensions.RunAsync"/> (an extension) does
/// both, and starts the run again on a new activation if the coordinator's silo left.
/// </remarks>
public interface IDailyRunGrain : IGrainWithStringKey
{
    /// <summary>Starts the date's run in the background unless it is running or complete; returns at once.</summary>
    /// <returns>A task that completes when the run has started.</returns>
    Task StartAsync();

    /// <summary>
    /// Runs the date again from the start on purpose (<see cref="DailyRun.RerunAsync"/>'s guarantee: scores are
    /// recorded again, nothing is posted, enrolled or delivered twice); returns once started.
    /// </summary>
    /// <returns>A task that completes when the run has started again.</returns>
    /// <exception cref="InvalidOperationException">The date is running.</exception>
    Task RerunAsync();

    /// <summary>Gets the run's report as it stands: the partitions completed so far, and whether the run is going.</summary>
    /// <returns>The report.</returns>
    Task<DailyRunReport> GetReportAsync();
}

/// <summary>Runs a date over the cluster from a client or a grain.</summary>
public static class DailyRunGrainExtensions
{
    /// <summary>
    /// Starts a date's run and watches it until every partition has completed or the coordinator gave some up
    /// (<see cref="ClusterRunOptions.PartitionAttempts"/>). A coordinator lost with its silo is started again and
    /// resumes: completed partitions are read back, not run again.
    /// </summary>
    /// <param name="grain">The date's coordinator (<c>GetGrain&lt;IDailyRunGrain&gt;("2026-01-20")</c>).</param>
    /// <param name="pollInterval">How often to look at the run; above zero.</param>
    /// <param name="cancellationToken">Stops watching (the run goes on in the cluster).</param>
    /// <returns>The final report.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pollInterval"/> is not above zero.</exception>
    public static async Task<DailyRunReport> RunAsync(this IDailyRunGrain grain, TimeSpan pollInterval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grain);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pollInterval, TimeSpan.Zero);
        for (var start = true; ; )
        {
            try
            {
                if (start)
                {
                    await grain.StartAsync().ConfigureAwait(false);
                }

                var report = await grain.GetReportAsync().ConfigureAwait(false);
                if (!report.Running && (report.IsComplete || !report.Abandoned.IsEmpty))
                {
                    return report;
                }

                // Not running and not finished: a new activation of a coordinator whose silo left.
                start = !report.Running;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                start = true; // the coordinator's silo left (or did not answer in time): the next call activates it elsewhere
            }

            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>What a partition grain is doing.</summary>
internal enum PartitionStatus
{
    /// <summary>Not started on this activation (new, or its earlier activation was lost with a silo).</summary>
    Idle,

    /// <summary>Running on this silo.</summary>
    Running,

    /// <summary>Completed (here or before).</summary>
    Completed,

    /// <summary>Another instance holds the partition's lease.</summary>
    Waiting,

    /// <summary>The run threw.</summary>
    Failed,
}

/// <summary>A partition grain's state, as its coordinator polls it.</summary>
[GenerateSerializer]
[Immutable]
internal sealed record PartitionState([property: Id(0)] PartitionStatus Status, [property: Id(1)] PartitionRun? Result, [property: Id(2)] string? Error);

/// <summary>One partition of a date, keyed <c>yyyy-MM-dd/index/count</c>; placed at random, so the partitions spread over the silos.</summary>
internal interface IRunPartitionGrain : IGrainWithStringKey
{
    /// <summary>Starts the partition on this silo unless it is running (a completed partition returns its stored result); returns at once.</summary>
    Task StartAsync();

    /// <summary>Gets what the partition is doing.</summary>
    Task<PartitionState> GetStateAsync();
}

/// <summary>The coordinator of a date's run.</summary>
internal sealed class DailyRunGrain(IOptions<RunOptions> run, IOptions<ClusterRunOptions> cluster) : Grain, IDailyRunGrain
{
    private Task? _running;
    private PartitionRun?[] _completed = [];
    private int _dispatches;
    private int _redispatched;
    private string[] _abandoned = [];

    public Task StartAsync()
    {
        if (_running is null || (_running.IsCompleted && (_completed.Any(c => c is null) || _running.IsFaulted)))
        {
            _ = LocalDatePattern.Iso.Parse(this.GetPrimaryKeyString()).GetValueOrThrow(); // a key that is not a date fails the caller
            _running = RunCoreAsync();
        }

        return Task.CompletedTask;
    }

    public async Task RerunAsync()
    {
        if (_running is { IsCompleted: false })
        {
            throw new InvalidOperationException($"The date {this.GetPrimaryKeyString()} is running: it can be run again once it has finished.");
        }

        var date = LocalDatePattern.Iso.Parse(this.GetPrimaryKeyString()).GetValueOrThrow();
        await ServiceProvider.GetRequiredService<DailyRun>().ResetAsync(date).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        (_dispatches, _redispatched) = (0, 0);
        _running = RunCoreAsync();
    }

    public Task<DailyRunReport> GetReportAsync()
    {
        if (_running is { IsFaulted: true })
        {
            return Task.FromException<DailyRunReport>(_running.Exception!.InnerException!);
        }

        return Task.FromResult(new DailyRunReport(
            this.GetPrimaryKeyString(), run.Value.Partitions, [.. _completed.OfType<PartitionRun>()], _dispatches, _redispatched, [.. _abandoned])
        {
            Running = _running is { IsCompleted: false },
        });
    }

    private async Task RunCoreAsync()
    {
        DelayDeactivation(TimeSpan.FromDays(1)); // not collected as idle while it watches the partitions, even if nobody asks
        var date = this.GetPrimaryKeyString();
        var count = run.Value.Partitions;
        var options = cluster.Value;
        _completed = new PartitionRun?[count];
        _abandoned = [];
        var failures = new int[count];
        var errors = new string?[count];
        var partitions = Enumerable.Range(0, count).Select(i => GrainFactory.GetGrain<IRunPartitionGrain>(RunPartitionGrain.Key(date, i, count))).ToArray();
        var pending = Enumerable.Range(0, count).ToList();
        foreach (var i in pending)
        {
            await StartAsync(partitions[i], first: true);
        }

        while (pending.Count > 0)
        {
            await Task.Delay(options.RetryInterval).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
            foreach (var i in pending)
            {
                PartitionState state;
                try
                {
                    state = await partitions[i].GetStateAsync().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
                }
                catch (Exception e) when (e is OrleansException or TimeoutException)
                {
                    continue; // its silo left or is slow to answer: asked again next round, on a new activation if it is gone
                }

                switch (state.Status)
                {
                    case PartitionStatus.Completed:
                        _completed[i] = state.Result;
                        break;
                    case PartitionStatus.Failed:
                        failures[i]++;
                        errors[i] = state.Error;
                        if (failures[i] < options.PartitionAttempts)
                        {
                            await StartAsync(partitions[i], first: false);
                        }

                        break;
                    case PartitionStatus.Idle or PartitionStatus.Waiting:
                        // A new activation (the old one left with its silo), or a lease still held elsewhere.
                        await StartAsync(partitions[i], first: false);
                        break;
                }
            }

            pending = [.. pending.Where(i => _completed[i] is null && failures[i] < options.PartitionAttempts)];
        }

        _abandoned = [.. Enumerable.Range(0, count).Where(i => _completed[i] is null)
            .Select(i => string.Create(CultureInfo.InvariantCulture, $"partition {i}/{count} after {failures[i]} attempts: {errors[i]}"))];
    }

    private async Task StartAsync(IRunPartitionGrain partition, bool first)
    {
        _dispatches++;
        _redispatched += first ? 0 : 1;
        try
        {
            await partition.StartAsync().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            // Not reached now; the next poll finds it idle on a new activation and starts it there.
        }
    }
}

/// <summary>A partition of a date, run on the silo Orleans placed it on.</summary>
[RandomPlacement]
internal sealed class RunPartitionGrain(DailyRun run) : Grain, IRunPartitionGrain
{
    private Task<PartitionResult?>? _running;

    internal static string Key(string date, int index, int count) => string.Create(CultureInfo.InvariantCulture, $"{date}/{index}/{count}");

    public Task StartAsync()
    {
        // Once completed, asking again reads the stored result (a date reset since is run again).
        if (_running is null || _running.IsCompleted)
        {
            var parts = this.GetPrimaryKeyString().Split('/');
            var date = LocalDatePattern.Iso.Parse(parts[0]).GetValueOrThrow();
            var partition = new RunPartition(int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
            DelayDeactivation(TimeSpan.FromDays(1)); // not collected as idle while the partition runs
            _running = run.RunPartitionAsync(date, partition).AsTask();
        }

        return Task.CompletedTask;
    }

    public Task<PartitionState> GetStateAsync() => Task.FromResult(_running switch
    {
        null => new PartitionState(PartitionStatus.Idle, null, null),
        { IsCompleted: false } => new PartitionState(PartitionStatus.Running, null, null),
        { IsFaulted: true } failed => new PartitionState(PartitionStatus.Failed, null, $"{failed.Exception!.InnerException!.GetType().Name}: {failed.Exception.InnerException.Message}"),
        { IsCanceled: true } => new PartitionState(PartitionStatus.Failed, null, "cancelled"),
        { Result: null } => new PartitionState(PartitionStatus.Waiting, null, null),
        { Result: { } result } => new PartitionState(PartitionStatus.Completed, PartitionRun.From(result), null),
    });
}
