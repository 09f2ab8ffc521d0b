using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace RetentionKit.Hosting.Tests;

public sealed class TelemetryTests
{
    private static readonly LocalDate Jan20 = new(2026, 1, 20);

    [Fact]
    public async Task A_run_reports_customers_partitions_retries_and_durations_on_its_meter()
    {
        var world = new World(customers: 100);
        var failing = SyntheticCustomerSource.Id(4);
        foreach (var channel in world.Channels)
        {
            channel.FailWhen(d => d.Customer.Customer == failing ? new TimeoutException("slow") : null);
        }

        await using var process = world.Process(Clocks.At(2026, 1, 20, 3), o => o.Retry.MaxAttempts = 3);
        var meters = process.GetRequiredService<IMeterFactory>();
        using var customers = new MetricCollector<long>(meters, "RetentionKit.Hosting", "retentionkit.run.customers");
        using var partitions = new MetricCollector<long>(meters, "RetentionKit.Hosting", "retentionkit.run.partitions");
        using var retries = new MetricCollector<long>(meters, "RetentionKit.Hosting", "retentionkit.run.retries");
        using var steps = new MetricCollector<double>(meters, "RetentionKit.Hosting", "retentionkit.run.step.duration");
        using var runs = new MetricCollector<double>(meters, "RetentionKit.Hosting", "retentionkit.run.duration");

        var summary = await process.GetRequiredService<DailyRun>().RunAsync(Jan20);

        Assert.Equal(summary.Customers - 1, Sum(customers, "retentionkit.run.customer.outcome", "served"));
        Assert.Equal(1, Sum(customers, "retentionkit.run.customer.outcome", "failed"));
        Assert.Equal(4, Sum(partitions, "retentionkit.run.partition.outcome", "completed"));
        Assert.Equal(2, Sum(retries, "retentionkit.run.step", RunSteps.Playbooks));
        Assert.Equal(4 * 5, steps.GetMeasurementSnapshot().Count);
        Assert.All(steps.GetMeasurementSnapshot(), m => Assert.True(m.Value >= 0));
        var run = Assert.Single(runs.GetMeasurementSnapshot());
        Assert.Equal("complete", run.Tags["retentionkit.run.outcome"]);
        Assert.Equal("s", runs.Instrument!.Unit);
    }

    [Fact]
    public async Task Logs_carry_stable_event_ids_and_name_a_customer_only_at_debug()
    {
        var world = new World(customers: 40);
        var failing = SyntheticCustomerSource.Id(2);
        foreach (var channel in world.Channels)
        {
            channel.FailWhen(d => d.Customer.Customer == failing ? new IOException("mailbox jane@example.com is full") : null);
        }

        var (provider, register) = Logs.Capture();
        await using var process = world.Process(Clocks.At(2026, 1, 20, 3), o => o.Retry.MaxAttempts = 2, register);
        await process.GetRequiredService<DailyRun>().RunAsync(Jan20);

        var records = provider.Collector.GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == 2100 && r.Level == LogLevel.Information);
        Assert.Equal(4, records.Count(r => r.Id.Id == 2102));
        Assert.Contains(records, r => r.Id.Id == 2101 && r.Message.Contains("1 customers failed", StringComparison.Ordinal));
        var failed = Assert.Single(records, r => r.Id.Id == 2105);
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Contains("IOException", failed.Message, StringComparison.Ordinal);
        Assert.Single(records, r => r.Id.Id == 2106 && r.Level == LogLevel.Debug && r.Message.Contains(failing.Value, StringComparison.Ordinal));
        Assert.All(records.Where(r => r.Level > LogLevel.Debug), r =>
        {
            Assert.DoesNotContain("cust-", r.Message, StringComparison.Ordinal); // no customer id above Debug
            Assert.DoesNotContain("@example.com", r.Message, StringComparison.Ordinal); // nor an exception's text
        });
    }

    [Fact]
    public async Task A_run_makes_a_span_per_run_partition_and_step_tagged_with_the_date_and_partition()
    {
        var world = new World(customers: 20);
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "RetentionKit.Hosting",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) { spans.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var process = world.Process(Clocks.At(2026, 2, 3, 3), o => { o.Partitions = 2; o.InstanceId = "traced"; });
        await process.GetRequiredService<DailyRun>().RunAsync(new LocalDate(2026, 2, 3)); // a date no other test runs

        List<Activity> mine;
        lock (spans)
        {
            // Other tests' runs stop spans on other threads meanwhile: read the list under the listener's lock.
            mine = spans.Where(s => (string?)s.GetTagItem("retentionkit.run.date") == "2026-02-03").ToList();
        }
        var root = Assert.Single(mine, s => s.OperationName == "retentionkit.run");
        var parts = mine.Where(s => s.OperationName == "retentionkit.run.partition").ToList();
        Assert.Equal(2, parts.Count);
        Assert.All(parts, p => Assert.Equal(root.SpanId, p.ParentSpanId));
        Assert.Equal(10, mine.Count(s => s.OperationName.StartsWith("retentionkit.run.step ", StringComparison.Ordinal)));
        Assert.All(mine.Where(s => s.OperationName.StartsWith("retentionkit.run.step ", StringComparison.Ordinal)), s => Assert.NotNull(s.GetTagItem("retentionkit.run.partition")));
    }

    [Fact]
    public void Bad_options_fail_the_start_with_every_problem_named()
    {
        var world = new World();
        using var process = world.Process(Clocks.At(2026, 1, 20), o =>
        {
            o.At = "2:30pm";
            o.TimeZone = "Europe/Madird";
            o.Partitions = 0;
            o.LeaseDuration = TimeSpan.Zero;
            o.Retry.MaxAttempts = 0;
        });
        var ex = Assert.Throws<OptionsValidationException>(() => process.GetRequiredService<IOptions<RunOptions>>().Value);
        Assert.Equal(
            [
                "RetentionKit:Run:At is '2:30pm'; it must be a time of day as HH:mm, e.g. \"02:30\".",
                "RetentionKit:Run:TimeZone is 'Europe/Madird', which is not an IANA time zone id (e.g. \"Europe/Madrid\", \"UTC\").",
                "RetentionKit:Run:Partitions is 0; it must be from 1 to 4096.",
                "RetentionKit:Run:LeaseDuration is 00:00:00; it must be from 1 second to 1 day.",
                "RetentionKit:Run:Retry:MaxAttempts is 0; it must be from 1 to 100.",
            ],
            ex.Failures);
    }

    private static long Sum(MetricCollector<long> collector, string tag, string value) =>
        collector.GetMeasurementSnapshot().Where(m => Equals(m.Tags[tag], value)).Sum(m => m.Value);
}
