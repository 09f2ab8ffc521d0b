using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RetentionKit.Scoring.Internal;

/// <summary>The scoring package's meter and spans (names in docs/hosting.md); tags carry paths and alert kinds, never a customer.</summary>
internal sealed class ScoringTelemetry
{
    public const string Name = "RetentionKit.Scoring";

    public static readonly ActivitySource Source = new(Name, typeof(ScoringTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly KeyValuePair<string, object?> Batch = new("path", "batch");
    private static readonly KeyValuePair<string, object?> Explained = new("path", "explained");
    private static readonly string[] AlertKinds = ["band_drop", "sharp_decline", "stale"];

    private readonly Counter<long> _customers;
    private readonly Counter<long> _alerts;

    public ScoringTelemetry(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(Name) ?? new Meter(Name);
        _customers = meter.CreateCounter<long>("retentionkit.scoring.customers", "{customer}", "Customers scored, on the batch path or with an explanation.");
        _alerts = meter.CreateCounter<long>("retentionkit.scoring.alerts", "{alert}", "Score alerts raised by trend analysis, by kind.");
    }

    public void Scored(int customers, bool batch)
    {
        if (customers > 0)
        {
            _customers.Add(customers, batch ? Batch : Explained);
        }
    }

    public void Alerted(ScoreTrend trend)
    {
        foreach (var alert in trend.Alerts)
        {
            _alerts.Add(1, new KeyValuePair<string, object?>("kind", (int)alert.Kind < AlertKinds.Length ? AlertKinds[(int)alert.Kind] : "other"));
        }
    }
}
