using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace RetentionKit.Hosting.Tests;

public sealed class ScheduleTests
{
    /// <summary>Runs the hosted service on a fake clock that its sleeps move forward, until the clock passes <paramref name="until"/>.</summary>
    private static async Task<List<(LocalDate Date, Instant At)>> RunServiceAsync(World world, FakeClock clock, Instant until, Action<RunOptions> configure)
    {
        var starts = new List<(LocalDate, Instant)>();
        await using var process = world.Process(clock, configure, s => s.AddSingleton<ICustomerDataSource>(new RecordingStart(world.Source, clock, starts)));
        var service = process.GetRequiredService<DailyRunService>();
        using var stop = new CancellationTokenSource();
        service.Delay = (d, ct) =>
        {
            Assert.True(d > Duration.Zero && d <= Duration.FromHours(1), $"sleeps {d}");
            if (clock.GetCurrentInstant() + d > until)
            {
                stop.Cancel();
                return Task.Delay(Timeout.Infinite, ct); // parked until the host stops
            }

            clock.Advance(d);
            return Task.CompletedTask;
        };
        await service.StartAsync(CancellationToken.None);
        await Task.WhenAny(service.ExecuteTask!, Task.Delay(TimeSpan.FromMinutes(2), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        await service.StopAsync(CancellationToken.None);
        Assert.True(service.ExecuteTask!.IsCompletedSuccessfully, service.ExecuteTask.Exception?.ToString());
        return starts;
    }

    [Fact]
    public async Task Over_ten_months_in_Madrid_every_date_runs_once_at_0230_local_and_on_the_spring_forward_day_at_0300()
    {
        var world = new World(customers: 12);
        var madrid = DateTimeZoneProviders.Tzdb["Europe/Madrid"];
        var clock = new FakeClock(new LocalDateTime(2026, 1, 1, 0, 0).InZoneStrictly(madrid).ToInstant());
        var until = new LocalDateTime(2026, 11, 1, 12, 0).InZoneStrictly(madrid).ToInstant();

        var starts = await RunServiceAsync(world, clock, until, o => { o.At = "02:30"; o.TimeZone = "Europe/Madrid"; o.Partitions = 2; });

        // The first start runs the latest due date (31 December), then one date a day through 1 November.
        var dates = starts.Select(s => s.Date).ToList();
        var expected = Enumerable.Range(0, 306).Select(i => new LocalDate(2025, 12, 31).PlusDays(i)).ToList();
        Assert.Equal(expected, dates.Distinct());
        Assert.Equal(dates.Count, dates.Distinct().Count()); // each date once, the fall-back day (25 October) included
        foreach (var (date, at) in starts.Skip(1))
        {
            var local = at.InZone(madrid).LocalDateTime;
            Assert.Equal(date, local.Date);
            Assert.Equal(date == new LocalDate(2026, 3, 29) ? new LocalTime(3, 0) : new LocalTime(2, 30), local.TimeOfDay);
        }

        var fallBack = starts.Single(s => s.Date == new LocalDate(2026, 10, 25)).At;
        Assert.Equal(Offset.FromHours(2), madrid.GetUtcOffset(fallBack)); // the first of the two 02:30s
        for (var d = new LocalDate(2025, 12, 31); d <= new LocalDate(2026, 11, 1); d = d.PlusDays(1))
        {
            Assert.True((await world.Runs.GetCompletedAsync(d, 2)).Length == 2, $"{d} complete");
        }
    }

    [Fact]
    public async Task After_downtime_a_start_catches_up_the_missed_dates_oldest_first_within_the_bound()
    {
        var world = new World(customers: 8);
        var clock = Clocks.At(2026, 3, 1, 1);
        await using (var first = world.Process(clock, o => o.Partitions = 1))
        {
            await first.GetRequiredService<DailyRun>().RunAsync(new LocalDate(2026, 2, 28));
        }

        // Down for twelve days; it starts again on 13 March at 01:00, before that day's 02:00 run.
        clock.Reset(Instant.FromUtc(2026, 3, 13, 1, 0));
        var starts = await RunServiceAsync(world, clock, Instant.FromUtc(2026, 3, 13, 1, 30), o => { o.Partitions = 1; o.CatchUpDays = 5; });

        // 1 to 12 March were missed; at most five days back from the latest due date (12 March): 7 to 12 March.
        Assert.Equal(Enumerable.Range(7, 6).Select(d => new LocalDate(2026, 3, d)), starts.Select(s => s.Date));
        Assert.Empty(await world.Runs.GetCompletedAsync(new LocalDate(2026, 3, 6), 1));
    }

    [Fact]
    public async Task With_the_schedule_off_the_service_runs_nothing()
    {
        var world = new World(customers: 4);
        var clock = Clocks.At(2026, 3, 1);
        var starts = await RunServiceAsync(world, clock, Instant.FromUtc(2026, 3, 3, 0, 0), o => o.Enabled = false);
        Assert.Empty(starts);
    }

    [Theory]
    [InlineData("2026-03-29T00:59:00Z", "2026-03-28")] // 01:59 CET: before the start of the 29th (03:00 CEST = 01:00 UTC)
    [InlineData("2026-03-29T01:00:00Z", "2026-03-29")] // 03:00 CEST: the skipped 02:30 starts when the gap ends
    [InlineData("2026-10-25T00:29:00Z", "2026-10-24")] // 02:29 CEST
    [InlineData("2026-10-25T00:30:00Z", "2026-10-25")] // the first 02:30 (CEST)
    [InlineData("2026-10-25T01:30:00Z", "2026-10-25")] // the second 02:30 (CET): still the same date, not run again
    public void The_latest_due_date_follows_the_local_time_across_DST(string now, string due)
    {
        var schedule = Internal.RunSchedule.From(new RunOptions { At = "02:30", TimeZone = "Europe/Madrid" });
        Assert.Equal(due, schedule.LatestDue(NodaTime.Text.InstantPattern.ExtendedIso.Parse(now).Value).ToString("uuuu-MM-dd", null));
    }

    /// <summary>Notes when each date's first partition is read.</summary>
    private sealed class RecordingStart(ICustomerDataSource inner, IClock clock, List<(LocalDate, Instant)> starts) : ICustomerDataSource
    {
        public IAsyncEnumerable<CustomerDay> ReadAsync(LocalDate runDate, RunPartition partition, CancellationToken cancellationToken)
        {
            lock (starts)
            {
                if (!starts.Any(s => s.Item1 == runDate))
                {
                    starts.Add((runDate, clock.GetCurrentInstant()));
                }
            }

            return inner.ReadAsync(runDate, partition, cancellationToken);
        }
    }
}
