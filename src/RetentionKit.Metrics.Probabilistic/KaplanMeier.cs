using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>One subject's time under observation and whether the event (churn, relapse) happened then or the observation stopped (right-censored).</summary>
/// <param name="Time">The time, not negative.</param>
/// <param name="Event">Whether the event happened at <paramref name="Time"/>; false when censored.</param>
public readonly record struct SurvivalObservation(double Time, bool Event);

/// <summary>One step of a Kaplan–Meier curve: at an event time, how many were at risk and had the event, the survival after it, its Greenwood standard error and a confidence interval.</summary>
/// <param name="Time">The event time.</param>
/// <param name="AtRisk">Subjects still under observation just before it.</param>
/// <param name="Events">Events at it.</param>
/// <param name="Censored">Subjects censored at it (counted at risk for its events).</param>
/// <param name="Survival">S(t) just after it.</param>
/// <param name="StandardError">Greenwood's standard error of S(t).</param>
/// <param name="Lower">The lower confidence bound (log-log transformation, within [0, 1]).</param>
/// <param name="Upper">The upper confidence bound.</param>
public readonly record struct SurvivalStep(double Time, int AtRisk, int Events, int Censored, double Survival, double StandardError, double Lower, double Upper);

/// <summary>The Kaplan–Meier estimate of a survival curve with right-censoring (product-limit), with Greenwood standard errors.</summary>
public sealed class KaplanMeierCurve
{
    private KaplanMeierCurve(ImmutableArray<SurvivalStep> steps, int subjects) => (Steps, Subjects) = (steps, subjects);

    /// <summary>Gets the steps, one per distinct event time, in time order.</summary>
    public ImmutableArray<SurvivalStep> Steps { get; }

    /// <summary>Gets how many subjects the curve was estimated from.</summary>
    public int Subjects { get; }

    /// <summary>Gets the median survival: the first time S(t) ≤ 0.5; null when the curve never gets there.</summary>
    public double? Median => Steps.FirstOrDefault(s => s.Survival <= 0.5) is { AtRisk: > 0 } m ? m.Time : null;

    /// <summary>Estimates the curve.</summary>
    /// <param name="observations">The observations; at least one.</param>
    /// <param name="confidence">The confidence level of the intervals (0.95).</param>
    /// <returns>The curve.</returns>
    /// <exception cref="ArgumentException">No observations, a negative or non-finite time, or a confidence outside (0, 1).</exception>
    public static KaplanMeierCurve Estimate(IEnumerable<SurvivalObservation> observations, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(observations);
        RetentionKit.Internal.Guard.FiniteInRange(confidence, 1e-9, 1 - 1e-9);
        var all = observations.ToArray();
        if (all.Length == 0)
        {
            throw new ArgumentException("A survival curve needs at least one observation.", nameof(observations));
        }

        foreach (var o in all)
        {
            if (!double.IsFinite(o.Time) || o.Time < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(observations), o.Time, "Times must be finite and not negative.");
            }
        }

        var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.5 + (confidence / 2));
        var steps = ImmutableArray.CreateBuilder<SurvivalStep>();
        var atRisk = all.Length;
        double survival = 1, greenwood = 0;
        foreach (var group in all.GroupBy(o => o.Time).OrderBy(g => g.Key))
        {
            var events = group.Count(o => o.Event);
            var censored = group.Count() - events;
            if (events > 0)
            {
                survival *= 1 - ((double)events / atRisk);
                greenwood += atRisk == events ? double.PositiveInfinity : events / ((double)atRisk * (atRisk - events));
                var se = survival * Math.Sqrt(greenwood);
                var (lower, upper) = Interval(survival, greenwood, z);
                steps.Add(new SurvivalStep(group.Key, atRisk, events, censored, survival, double.IsNaN(se) ? 0 : se, lower, upper));
            }

            atRisk -= events + censored;
        }

        return new KaplanMeierCurve(steps.ToImmutable(), all.Length);
    }

    /// <summary>Estimates one curve per group.</summary>
    /// <typeparam name="TGroup">The group key.</typeparam>
    /// <param name="observations">The observations with their group.</param>
    /// <param name="confidence">The confidence level.</param>
    /// <returns>The curves by group.</returns>
    public static ImmutableSortedDictionary<TGroup, KaplanMeierCurve> ByGroup<TGroup>(IEnumerable<(TGroup Group, SurvivalObservation Observation)> observations, double confidence = 0.95)
        where TGroup : notnull
    {
        ArgumentNullException.ThrowIfNull(observations);
        return observations.GroupBy(o => o.Group).ToImmutableSortedDictionary(g => g.Key, g => Estimate(g.Select(o => o.Observation), confidence));
    }

    /// <summary>S(t): the estimated probability of surviving beyond t.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The survival.</returns>
    public double SurvivalAt(double time)
    {
        var s = 1d;
        foreach (var step in Steps)
        {
            if (step.Time > time)
            {
                break;
            }

            s = step.Survival;
        }

        return s;
    }

    // The log(−log S) interval keeps the bounds inside [0, 1].
    private static (double Lower, double Upper) Interval(double s, double greenwood, double z)
    {
        if (s <= 0 || s >= 1 || double.IsInfinity(greenwood))
        {
            return (s, s);
        }

        var theta = z * Math.Sqrt(greenwood) / Math.Log(s);
        return (Math.Pow(s, Math.Exp(-theta)), Math.Pow(s, Math.Exp(theta)));
    }
}
