using System;
using System.Collections.Immutable;
using System.Linq;
using RetentionKit.Metrics.Subscriptions;

namespace RetentionKit.Metrics.Kpis;

/// <summary>Scores measured KPIs against their targets (SPEC M13).</summary>
/// <remarks>Thread safety: instances are immutable and safe to share.</remarks>
public sealed class KpiScorecard
{
    private readonly double _monthlyRetention;
    private readonly double _annualRetention;
    private readonly double _reactivation;
    private readonly double _nps;
    private readonly double _upsellMin;
    private readonly double _upsellMax;
    private readonly double _crossSellMin;
    private readonly double _crossSellMax;

    /// <summary>Initializes a new instance of the <see cref="KpiScorecard"/> class.</summary>
    /// <param name="targets">The targets; their values are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="targets"/> is null.</exception>
    /// <exception cref="ArgumentException">A target is invalid; the message lists every problem.</exception>
    public KpiScorecard(KpiTargetOptions targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var problems = MetricsOptionsValidation.Problems(targets);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", RetentionKit.Internal.OptionPaths.Qualify<MetricsOptions>("Metrics", problems)), nameof(targets));
        }

        _monthlyRetention = targets.MonthlyRetention;
        _annualRetention = targets.AnnualRetention;
        _reactivation = targets.ReactivationRate;
        _nps = targets.Nps;
        _upsellMin = targets.UpsellConversionMin;
        _upsellMax = targets.UpsellConversionMax;
        _crossSellMin = targets.CrossSellConversionMin;
        _crossSellMax = targets.CrossSellConversionMax;
    }

    /// <summary>Scores the actuals; a KPI without an actual is <see cref="KpiStatus.NotMeasured"/>.</summary>
    /// <param name="actuals">The measured values.</param>
    /// <returns>One line per KPI, in a fixed order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="actuals"/> is null.</exception>
    public ImmutableArray<KpiResult> Evaluate(KpiActuals actuals)
    {
        ArgumentNullException.ThrowIfNull(actuals);
        return
        [
            Line(Kpi.MonthlyRetention, actuals.MonthlyRetention?.Fraction, _monthlyRetention, null),
            Line(Kpi.AnnualRetention, actuals.AnnualRetention?.Fraction, _annualRetention, null),
            Line(Kpi.ReactivationRate, actuals.ReactivationRate?.Fraction, _reactivation, null),
            Line(Kpi.Nps, actuals.Nps, _nps, null),
            Line(Kpi.UpsellConversion, actuals.UpsellConversion?.Fraction, _upsellMin, _upsellMax),
            Line(Kpi.CrossSellConversion, actuals.CrossSellConversion?.Fraction, _crossSellMin, _crossSellMax),
        ];
    }

    private static KpiResult Line(Kpi kpi, double? actual, double min, double? max)
    {
        var status = actual switch
        {
            null => KpiStatus.NotMeasured,
            var a when a < min => KpiStatus.Below,
            var a when max is { } m && a > m => KpiStatus.Above,
            _ => KpiStatus.Met,
        };
        return new KpiResult(kpi, actual, min, max, status);
    }
}

/// <summary>The KPIs of the scorecard.</summary>
public enum Kpi
{
    /// <summary>Monthly customer retention (fraction).</summary>
    MonthlyRetention,

    /// <summary>Annual customer retention (fraction).</summary>
    AnnualRetention,

    /// <summary>Share of churned customers who came back (fraction).</summary>
    ReactivationRate,

    /// <summary>Net Promoter Score (points).</summary>
    Nps,

    /// <summary>Upsell conversion (fraction).</summary>
    UpsellConversion,

    /// <summary>Cross-sell conversion (fraction).</summary>
    CrossSellConversion,
}

/// <summary>How a KPI compares with its target.</summary>
public enum KpiStatus
{
    /// <summary>There is no measurement (an empty population, no answers, no offers).</summary>
    NotMeasured,

    /// <summary>Below the target (or the bottom of the target band).</summary>
    Below,

    /// <summary>At or above the target, inside the band if there is one.</summary>
    Met,

    /// <summary>Above the top of the target band (for conversion, often a sign of offers made too rarely).</summary>
    Above,
}

/// <summary>One line of the scorecard.</summary>
/// <param name="Kpi">The KPI.</param>
/// <param name="Actual">The measured value (a fraction, or points for NPS); null when not measured.</param>
/// <param name="Target">The target, or the bottom of the target band.</param>
/// <param name="TargetMax">The top of the target band; null for a one-sided target.</param>
/// <param name="Status">The comparison.</param>
public sealed record KpiResult(Kpi Kpi, double? Actual, double Target, double? TargetMax, KpiStatus Status);

/// <summary>The measured values the scorecard compares; any of them may be missing.</summary>
/// <param name="MonthlyRetention">Monthly customer retention.</param>
/// <param name="AnnualRetention">Annual customer retention.</param>
/// <param name="ReactivationRate">Share of churned customers who came back.</param>
/// <param name="Nps">Net Promoter Score in points.</param>
/// <param name="UpsellConversion">Upsell conversion.</param>
/// <param name="CrossSellConversion">Cross-sell conversion.</param>
public sealed record KpiActuals(Rate? MonthlyRetention, Rate? AnnualRetention, Rate? ReactivationRate, double? Nps, Rate? UpsellConversion, Rate? CrossSellConversion)
{
    /// <summary>Collects the actuals from the metrics' own results.</summary>
    /// <param name="subscriptions">The subscription analysis: monthly retention of the latest complete month, annual retention, reactivation rate.</param>
    /// <param name="expansion">Optional: upsell and cross-sell conversion.</param>
    /// <param name="nps">Optional: the Net Promoter Score.</param>
    /// <returns>The actuals.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subscriptions"/> is null.</exception>
    public static KpiActuals From(SubscriptionAnalysis subscriptions, ExpansionKpiReport? expansion = null, NpsResult? nps = null)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);

        // The current month is partial unless the as-of date is its last day: score the latest complete month.
        var monthly = subscriptions.Periods
            .Reverse()
            .FirstOrDefault(p => p.End == p.Month.ToDateInterval().End)?
            .Customers.RetentionRate;

        return new KpiActuals(
            monthly,
            subscriptions.AnnualCustomerRetention,
            subscriptions.ReactivationRate,
            nps?.Score,
            expansion?.Upsell.Conversion,
            expansion?.CrossSell.Conversion);
    }
}
