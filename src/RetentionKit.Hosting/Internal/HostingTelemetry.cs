using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RetentionKit.Hosting.Internal;

/// <summary>The daily run's instruments and spans (names in docs/hosting.md).</summary>
internal sealed class HostingTelemetry
{
    public const string Name = "RetentionKit.Hosting";

    public static readonly ActivitySource Source = new(Name, typeof(HostingTelemetry).Assembly.GetName().Version?.ToString());

    public HostingTelemetry(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(Name) ?? new Meter(Name);
        RunDuration = meter.CreateHistogram<double>("retentionkit.run.duration", "s", "Time of one date's run on this instance, from its first partition to its last.");
        StepDuration = meter.CreateHistogram<double>("retentionkit.run.step.duration", "s", "Time of one step of the run in one partition.");
        Customers = meter.CreateCounter<long>("retentionkit.run.customers", "{customer}", "Customers the run served or failed.");
        Retries = meter.CreateCounter<long>("retentionkit.run.retries", "{retry}", "Retries of a customer's step after an error.");
        Partitions = meter.CreateCounter<long>("retentionkit.run.partitions", "{partition}", "Partitions completed, taken by another instance, or lost mid-run.");
    }

    public Histogram<double> RunDuration { get; }

    public Histogram<double> StepDuration { get; }

    public Counter<long> Customers { get; }

    public Counter<long> Retries { get; }

    public Counter<long> Partitions { get; }

    public static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);
}
