// A worker service that runs RetentionKit's daily run: docs/hosting.md walks through it.
//   dotnet run                                   runs every day at RetentionKit:Run:At in RetentionKit:Run:TimeZone
//   dotnet run -- --Sample:RunOnce=2025-10-01    runs that one date under a clock fixed at 03:00 UTC, prints a summary, exits
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RetentionKit.Hosting;
using RetentionKit.Playbooks;
using WorkerHost;

var builder = Host.CreateApplicationBuilder(args);
var runOnce = builder.Configuration["Sample:RunOnce"] is { } text ? LocalDatePattern.Iso.Parse(text).GetValueOrThrow() : (LocalDate?)null;
if (runOnce is { } fixedDay)
{
    builder.Services.AddSingleton<IClock>(new FixedClock(fixedDay.At(new LocalTime(3, 0)).InUtc().ToInstant()));
}

builder.Services.AddSingleton(SimulatedCompany.From(builder.Configuration.GetSection("Sample")));
builder.Services.AddRetentionKit(builder.Configuration.GetSection("RetentionKit"), kit =>
{
    foreach (var channel in PlaybookChannel.BuiltIn)
    {
        kit.AddPlaybookChannel(sp => new LoggingChannel(channel, sp.GetRequiredService<ILogger<LoggingChannel>>()));
    }

    kit.AddDailyRun<SimulatedWarehouse>(o => o.Enabled = runOnce is null);
});
builder.Services.AddOpenTelemetry()
    .WithMetrics(metrics => metrics.AddMeter("RetentionKit.*").AddConsoleExporter())
    .WithTracing(tracing => tracing.AddSource("RetentionKit.Hosting").AddConsoleExporter());

using var host = builder.Build();
if (runOnce is not { } day)
{
    await host.RunAsync();
    return 0;
}

await host.StartAsync();
var summary = await host.Services.GetRequiredService<DailyRun>().RunAsync(day);
await host.StopAsync();
Console.WriteLine("summary: " + JsonSerializer.Serialize(new
{
    date = LocalDatePattern.Iso.Format(summary.Date),
    summary.Partitions,
    completed = summary.Completed.Length,
    summary.Customers,
    summary.Scored,
    summary.Alerts,
    summary.EnrolmentsStarted,
    summary.Delivered,
    failures = summary.Failures.Length,
}));
return summary.IsComplete && summary.Failures.IsEmpty ? 0 : 1;
