using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using NodaTime;

namespace RetentionKit.Scoring;

/// <summary>The kind of a score alert (S6).</summary>
public enum ScoreAlertKind
{
    /// <summary>The retention band fell from the previous record to the latest.</summary>
    BandDrop = 0,

    /// <summary>The retention score falls faster than the configured points per day (least-squares slope over the window).</summary>
    SharpDecline = 1,

    /// <summary>The newest input behind the latest score is older than the configured number of days, or there is no score.</summary>
    Stale = 2,
}

/// <summary>An alert on a customer's score history.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Message">What happened, in plain language with the numbers.</param>
public sealed record ScoreAlert(ScoreAlertKind Kind, string Message);

/// <summary>A customer's retention-score trend over a window (S6): delta, least-squares slope and alerts.</summary>
/// <param name="Customer">The customer.</param>
/// <param name="AsOf">The last date of the window.</param>
/// <param name="WindowDays">The window's length in days; it covers (AsOf − WindowDays, AsOf].</param>
/// <param name="Records">The number of records with a retention score in the window.</param>
/// <param name="Latest">The latest retention score in the window; null when none.</param>
/// <param name="Delta">The latest minus the earliest score in the window; null with fewer than two records.</param>
/// <param name="SlopePerDay">The least-squares slope of score against date, in points per day; null with fewer than two records.</param>
/// <param name="Alerts">The alerts that fired.</param>
public sealed record ScoreTrend(
    CustomerId Customer,
    LocalDate AsOf,
    int WindowDays,
    int Records,
    double? Latest,
    double? Delta,
    double? SlopePerDay,
    ImmutableArray<ScoreAlert> Alerts)
{
    /// <summary>Gets whether the scores are stale.</summary>
    public bool IsStale => Alerts.Any(a => a.Kind == ScoreAlertKind.Stale);

    /// <summary>Computes the trend of a customer's records.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="records">The customer's records, in any order; records after <paramref name="asOf"/> are ignored.</param>
    /// <param name="asOf">The last date of the window.</param>
    /// <param name="options">The window and alert thresholds.</param>
    /// <returns>The trend.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A record belongs to another customer, or two records share a date.</exception>
    public static ScoreTrend Analyze(CustomerId customer, IEnumerable<ScoreRecord> records, LocalDate asOf, ScoreHistoryOptions options)
    {
        RetentionKit.Internal.Guard.Valid(customer);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(options);
        var windowStart = asOf.PlusDays(-options.TrendWindowDays);
        var all = new List<ScoreRecord>();
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            if (record.Customer != customer)
            {
                throw new ArgumentException($"records holds a record of {record.Customer}; the trend is of {customer}.", nameof(records));
            }

            if (record.Date <= asOf)
            {
                all.Add(record);
            }
        }

        all.Sort((a, b) => a.Date.CompareTo(b.Date));
        for (var i = 1; i < all.Count; i++)
        {
            if (all[i].Date == all[i - 1].Date)
            {
                throw new ArgumentException($"records holds two records dated {all[i].Date:uuuu-MM-dd}; there is one per day.", nameof(records));
            }
        }

        var window = all.FindAll(r => r.Date > windowStart && r.RetentionScore is not null);
        var alerts = ImmutableArray.CreateBuilder<ScoreAlert>();
        double? latest = window.Count > 0 ? window[^1].RetentionScore : null;
        double? delta = null;
        double? slope = null;
        if (window.Count >= 2)
        {
            delta = window[^1].RetentionScore!.Value - window[0].RetentionScore!.Value;
            slope = Slope(window, windowStart);
            if (slope <= -options.SharpDeclinePointsPerDay)
            {
                alerts.Add(new ScoreAlert(ScoreAlertKind.SharpDecline, Text($"retention score falling {-slope.Value:0.##} points a day over the last {options.TrendWindowDays} days ({delta.Value:+0.#;-0.#} points); alert from {options.SharpDeclinePointsPerDay:0.##}")));
            }
        }

        var scored = all.FindAll(r => r.Band is not null);
        if (scored.Count >= 2 && scored[^1].Band < scored[^2].Band)
        {
            alerts.Add(new ScoreAlert(ScoreAlertKind.BandDrop, Text($"retention band fell from {scored[^2].Band} on {scored[^2].Date:uuuu-MM-dd} to {scored[^1].Band} on {scored[^1].Date:uuuu-MM-dd}")));
        }

        if (all.Count == 0)
        {
            alerts.Add(new ScoreAlert(ScoreAlertKind.Stale, "no score recorded"));
        }
        else
        {
            var age = Period.Between(all[^1].ObservedOn, asOf, PeriodUnits.Days).Days;
            if (age > options.StaleAfterDays)
            {
                alerts.Add(new ScoreAlert(ScoreAlertKind.Stale, Text($"newest input is {age} days old (observed {all[^1].ObservedOn:uuuu-MM-dd}); stale after {options.StaleAfterDays}")));
            }
        }

        return new ScoreTrend(customer, asOf, options.TrendWindowDays, window.Count, latest, delta, slope, alerts.ToImmutable());
    }

    private static double? Slope(List<ScoreRecord> window, LocalDate origin)
    {
        double meanX = 0d;
        double meanY = 0d;
        foreach (var record in window)
        {
            meanX += Period.Between(origin, record.Date, PeriodUnits.Days).Days;
            meanY += record.RetentionScore!.Value;
        }

        meanX /= window.Count;
        meanY /= window.Count;
        double sxy = 0d;
        double sxx = 0d;
        foreach (var record in window)
        {
            var dx = Period.Between(origin, record.Date, PeriodUnits.Days).Days - meanX;
            sxy += dx * (record.RetentionScore!.Value - meanY);
            sxx += dx * dx;
        }

        return sxy / sxx;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
