using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using NodaTime;
using RetentionKit.Internal;

namespace RetentionKit.Metrics.Kpis;

/// <summary>The four reviews of the documents' recommended success dashboard.</summary>
public enum SuccessReview
{
    /// <summary>The customer's primary KPI (leads for marketing, deals for sales …), reviewed daily.</summary>
    PrimaryKpi = 0,

    /// <summary>The secondary KPIs, reviewed weekly.</summary>
    SecondaryKpis = 1,

    /// <summary>The return on investment, reviewed monthly.</summary>
    Roi = 2,

    /// <summary>The comparison with comparable customers, reviewed quarterly.</summary>
    Benchmarking = 3,
}

/// <summary>What the documents prescribe when a reviewed metric is low.</summary>
public enum LowMetricAction
{
    /// <summary>Intervene at once (primary KPI).</summary>
    ImmediateIntervention = 0,

    /// <summary>Optimise the customer's use (secondary KPIs).</summary>
    Optimisation = 1,

    /// <summary>Hold a strategic review with the customer (ROI).</summary>
    StrategicReview = 2,

    /// <summary>Show the customer how peers do it (benchmarking).</summary>
    PeerComparison = 3,
}

/// <summary>How often a metric of the success dashboard is reviewed, and the action when it is low.</summary>
/// <param name="Review">The metric.</param>
/// <param name="Every">The rhythm: a period of days, weeks or months.</param>
/// <param name="WhenLow">The action when it is below its target.</param>
public sealed record SuccessCadence(SuccessReview Review, Period Every, LowMetricAction WhenLow);

/// <summary>One review of a customer's metric against its target.</summary>
/// <param name="Review">The metric.</param>
/// <param name="Actual">The customer's value.</param>
/// <param name="Target">The target.</param>
/// <param name="IsLow">Whether the value misses the target.</param>
/// <param name="Action">The action to take: the cadence's when low, else null.</param>
public sealed record SuccessCheck(SuccessReview Review, double Actual, double Target, bool IsLow, LowMetricAction? Action);

/// <summary>Where a customer stands among comparable customers ("you are in the top 20 %").</summary>
/// <param name="Percentile">The share of peers the customer does at least as well as (ties count half), 0–1.</param>
/// <param name="TopShare">1 − <see cref="Percentile"/>: the customer is in the top this share.</param>
/// <param name="Peers">How many peers the customer was compared with.</param>
public sealed record PeerBenchmark(double Percentile, double TopShare, int Peers)
{
    /// <summary>Gets the message for the customer, the share rounded up to the next 5 %: "top 20 %" (at least "top 5 %").</summary>
    public string Phrase
    {
        get
        {
            var percent = Math.Ceiling((TopShare * 20) - 1e-9) * 5;
            return string.Create(CultureInfo.InvariantCulture, $"top {Math.Max(5, percent):0} %");
        }
    }
}

/// <summary>
/// The documents' recommended success dashboard (Customer Success, "Dashboard de Éxito Recomendado"): the primary KPI
/// daily with an immediate intervention when low, the secondary KPIs weekly with optimisation, the ROI monthly with a
/// strategic review, and benchmarking quarterly with a peer comparison.
/// </summary>
public static class SuccessDashboard
{
    /// <summary>Gets the documents' rhythm: daily, weekly, monthly, quarterly.</summary>
    public static ImmutableArray<SuccessCadence> DocumentRhythm { get; } =
    [
        new(SuccessReview.PrimaryKpi, Period.FromDays(1), LowMetricAction.ImmediateIntervention),
        new(SuccessReview.SecondaryKpis, Period.FromWeeks(1), LowMetricAction.Optimisation),
        new(SuccessReview.Roi, Period.FromMonths(1), LowMetricAction.StrategicReview),
        new(SuccessReview.Benchmarking, Period.FromMonths(3), LowMetricAction.PeerComparison),
    ];

    /// <summary>Returns the reviews due on a day: those never held, or whose rhythm has run since the last one.</summary>
    /// <param name="cadences">The rhythm, for example <see cref="DocumentRhythm"/>.</param>
    /// <param name="lastReviewed">The day each review was last held; a review missing here is due.</param>
    /// <param name="today">The day.</param>
    /// <returns>The reviews due, in the rhythm's order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A last review is after <paramref name="today"/>, or a cadence is null or has a rhythm that is not positive.</exception>
    public static ImmutableArray<SuccessCadence> Due(IEnumerable<SuccessCadence> cadences, IReadOnlyDictionary<SuccessReview, LocalDate> lastReviewed, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(cadences);
        ArgumentNullException.ThrowIfNull(lastReviewed);
        var due = ImmutableArray.CreateBuilder<SuccessCadence>();
        foreach (var cadence in cadences)
        {
            if (cadence is null || !(today.PlusDays(1) + cadence.Every > today.PlusDays(1)))
            {
                throw new ArgumentException("cadences must not hold null or a rhythm that is not positive.", nameof(cadences));
            }

            if (!lastReviewed.TryGetValue(cadence.Review, out var last))
            {
                due.Add(cadence);
                continue;
            }

            if (last > today)
            {
                throw new ArgumentException($"lastReviewed[{cadence.Review}] ({last:uuuu-MM-dd}) is after today ({today:uuuu-MM-dd}).", nameof(lastReviewed));
            }

            if (last + cadence.Every <= today)
            {
                due.Add(cadence);
            }
        }

        return due.ToImmutable();
    }

    /// <summary>Reviews a metric against its target.</summary>
    /// <param name="cadence">The metric's cadence (its action when low).</param>
    /// <param name="actual">The customer's value.</param>
    /// <param name="target">The target (the primary KPI's +50 % for marketing, an ROI of 1.0 …).</param>
    /// <param name="higherIsBetter">False for a metric that should fall (time spent, costs).</param>
    /// <returns>The check: low when the value is below the target (above it when lower is better), with the action.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cadence"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="actual"/> or <paramref name="target"/> is not finite.</exception>
    public static SuccessCheck Check(SuccessCadence cadence, double actual, double target, bool higherIsBetter = true)
    {
        ArgumentNullException.ThrowIfNull(cadence);
        Guard.Finite(actual);
        Guard.Finite(target);
        var low = higherIsBetter ? actual < target : actual > target;
        return new SuccessCheck(cadence.Review, actual, target, low, low ? cadence.WhenLow : null);
    }

    /// <summary>Places a customer's value among comparable customers' (same segment, industry or plan: the caller chooses).</summary>
    /// <param name="value">The customer's value.</param>
    /// <param name="peers">The comparable customers' values, the customer's own excluded.</param>
    /// <param name="higherIsBetter">False for a metric that should be low.</param>
    /// <returns>The benchmark.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="peers"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="peers"/> is empty or holds a value that is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not finite.</exception>
    public static PeerBenchmark Benchmark(double value, IEnumerable<double> peers, bool higherIsBetter = true)
    {
        ArgumentNullException.ThrowIfNull(peers);
        Guard.Finite(value);
        var list = peers.ToList();
        if (list.Count == 0 || list.Any(p => !double.IsFinite(p)))
        {
            throw new ArgumentException($"peers must hold at least one value, all finite (it holds {list.Count}).", nameof(peers));
        }

        var worse = list.Count(p => higherIsBetter ? p < value : p > value);
        var equal = list.Count(p => p == value);
        var percentile = (worse + (0.5 * equal)) / list.Count;
        return new PeerBenchmark(percentile, 1d - percentile, list.Count);
    }
}
