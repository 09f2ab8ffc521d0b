using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using RetentionKit.Hosting.Internal;

namespace RetentionKit.Hosting;

/// <summary>
/// The hosted service that runs <see cref="DailyRun"/> once a day at <see cref="RunOptions.At"/> in
/// <see cref="RunOptions.TimeZone"/>. On start it first catches up the dates missed since the last completed one
/// (oldest first, at most <see cref="RunOptions.CatchUpDays"/> back), then sleeps until the next date's time.
/// </summary>
internal sealed class DailyRunService : BackgroundService
{
    private static readonly Duration LongestSleep = Duration.FromHours(1);
    private readonly DailyRun _run;
    private readonly IClock _clock;
    private readonly RunOptions _options;
    private readonly RunSchedule _schedule;
    private readonly ILogger _logger;

    public DailyRunService(DailyRun run, IClock clock, RunOptions options, ILogger<DailyRunService>? logger)
    {
        (_run, _clock, _options) = (run, clock, options);
        _schedule = RunSchedule.From(options);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Gets or sets how the service waits (tests replace it to move a fake clock instead of sleeping).</summary>
    internal Func<Duration, CancellationToken, Task> Delay { get; set; } = static (d, ct) => Task.Delay(d.ToTimeSpan(), ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            Log.Disabled(_logger);
            return;
        }

        await Task.Yield(); // let the host finish starting before the first run
        var retryIn = Duration.FromTimeSpan(_options.LeaseDuration);
        while (!stoppingToken.IsCancellationRequested)
        {
            LocalDate due;
            try
            {
                (due, var incomplete) = await RunDueAsync(stoppingToken).ConfigureAwait(false);
                if (incomplete > 0)
                {
                    Log.RunIncomplete(_logger, due, incomplete, retryIn);
                    await SleepUntilAsync(_clock.GetCurrentInstant() + retryIn, stoppingToken).ConfigureAwait(false);
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.RunFailed(_logger, ex, _schedule.LatestDue(_clock.GetCurrentInstant()), retryIn);
                await SleepUntilAsync(_clock.GetCurrentInstant() + retryIn, stoppingToken).ConfigureAwait(false);
                continue;
            }

            var next = due.PlusDays(1);
            var at = _schedule.StartOf(next);
            Log.NextRun(_logger, next, at);
            await SleepUntilAsync(at, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs every due date not completed yet, oldest first, within the catch-up bound.</summary>
    /// <returns>The latest due date, and how many partitions of the dates run are still incomplete (held by other instances).</returns>
    internal async Task<(LocalDate Due, int Incomplete)> RunDueAsync(CancellationToken cancellationToken)
    {
        var due = _schedule.LatestDue(_clock.GetCurrentInstant());
        var last = await _run.GetLatestCompletedAsync(due, cancellationToken).ConfigureAwait(false);
        var first = last?.PlusDays(1) ?? due;
        var bound = due.PlusDays(-_options.CatchUpDays);
        if (first < bound)
        {
            Log.CatchUpBounded(_logger, bound, due, Period.DaysBetween(first, bound));
            first = bound;
        }

        var incomplete = 0;
        for (var date = first; date <= due; date = date.PlusDays(1))
        {
            var summary = await _run.RunAsync(date, cancellationToken).ConfigureAwait(false);
            incomplete += summary.Partitions - summary.Completed.Length;
        }

        return (due, incomplete);
    }

    private async Task SleepUntilAsync(Instant at, CancellationToken cancellationToken)
    {
        // Sleeps in steps of at most an hour and looks at the clock again, so a clock change or a suspended machine
        // delays the run by an hour at most.
        try
        {
            for (var now = _clock.GetCurrentInstant(); now < at && !cancellationToken.IsCancellationRequested; now = _clock.GetCurrentInstant())
            {
                var left = at - now;
                await Delay(left < LongestSleep ? left : LongestSleep, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
