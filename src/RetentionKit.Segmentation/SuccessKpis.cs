using System;
using System.Globalization;

namespace RetentionKit.Segmentation;

/// <summary>Whether a KPI improves by going up (leads, deals) or down (time, cost).</summary>
public enum KpiDirection
{
    /// <summary>Higher is better.</summary>
    Increase = 0,

    /// <summary>Lower is better.</summary>
    Decrease = 1,
}

/// <summary>
/// A success KPI for a customer's function (G5): the measure the customer bought the product to move, and the relative
/// change that counts as success — marketing leads +50 %, sales deals +30 %, HR time −40 %, finance cost −25 %.
/// </summary>
/// <param name="Function">The customer's function, e.g. "marketing".</param>
/// <param name="Measure">What is measured, e.g. "qualified leads per month".</param>
/// <param name="Direction">Which way is better.</param>
/// <param name="TargetChange">The relative change that counts as success, as a positive fraction (0.5 = 50 %).</param>
public sealed record SuccessKpiTemplate(string Function, string Measure, KpiDirection Direction, double TargetChange)
{
    /// <summary>Gets the marketing template: qualified leads +50 %.</summary>
    public static SuccessKpiTemplate Marketing { get; } = new("marketing", "qualified leads", KpiDirection.Increase, 0.50);

    /// <summary>Gets the sales template: deals closed +30 %.</summary>
    public static SuccessKpiTemplate Sales { get; } = new("sales", "deals closed", KpiDirection.Increase, 0.30);

    /// <summary>Gets the HR template: time spent on HR processes −40 %.</summary>
    public static SuccessKpiTemplate HumanResources { get; } = new("hr", "time spent on HR processes", KpiDirection.Decrease, 0.40);

    /// <summary>Gets the finance template: operating cost −25 %.</summary>
    public static SuccessKpiTemplate Finance { get; } = new("finance", "operating cost", KpiDirection.Decrease, 0.25);

    /// <summary>Starts tracking this KPI for a customer from a baseline; the target is the baseline moved by <see cref="TargetChange"/>.</summary>
    /// <param name="baseline">The measure before the customer started, finite and above zero.</param>
    /// <returns>The tracker, with the baseline as the current value.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baseline"/> is not finite and above zero.</exception>
    public KpiAttainment Track(double baseline)
    {
        if (!double.IsFinite(baseline) || baseline <= 0d)
        {
            throw new ArgumentOutOfRangeException(nameof(baseline), baseline, "A KPI baseline must be a finite number above zero.");
        }

        var target = Direction == KpiDirection.Increase ? baseline * (1d + TargetChange) : baseline * (1d - TargetChange);
        return new KpiAttainment(Measure, Direction, baseline, target, baseline);
    }
}

/// <summary>Where a customer stands on a success KPI: baseline, target, current value, and the share of the way covered.</summary>
public sealed record KpiAttainment
{
    /// <summary>Initializes a new instance of the <see cref="KpiAttainment"/> class.</summary>
    /// <param name="measure">What is measured.</param>
    /// <param name="direction">Which way is better.</param>
    /// <param name="baseline">The starting value.</param>
    /// <param name="target">The value that counts as success; beyond the baseline in <paramref name="direction"/>.</param>
    /// <param name="current">The latest value.</param>
    /// <exception cref="ArgumentException">A value is not finite, or the target does not lie beyond the baseline in the KPI's direction.</exception>
    public KpiAttainment(string measure, KpiDirection direction, double baseline, double target, double current)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(measure);
        foreach (var (value, name) in new[] { (baseline, nameof(baseline)), (target, nameof(target)), (current, nameof(current)) })
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(name, value, "KPI values must be finite numbers.");
            }
        }

        if (direction == KpiDirection.Increase ? !(target > baseline) : !(target < baseline))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"target ({target}) must be {(direction == KpiDirection.Increase ? "above" : "below")} the baseline ({baseline}) for a KPI that should {direction.ToString().ToLowerInvariant()}."), nameof(target));
        }

        Measure = measure;
        Direction = direction;
        Baseline = baseline;
        Target = target;
        Current = current;
    }

    /// <summary>Gets what is measured.</summary>
    public string Measure { get; }

    /// <summary>Gets which way is better.</summary>
    public KpiDirection Direction { get; }

    /// <summary>Gets the starting value.</summary>
    public double Baseline { get; }

    /// <summary>Gets the value that counts as success.</summary>
    public double Target { get; }

    /// <summary>Gets the latest value.</summary>
    public double Current { get; }

    /// <summary>Gets the share of the way from baseline to target covered: 0 at the baseline, 1 at the target, above 1 beyond it, below 0 when worse than the baseline. Not clamped.</summary>
    public double Attainment => (Current - Baseline) / (Target - Baseline);

    /// <summary>Gets whether the target has been reached.</summary>
    public bool IsAchieved => Attainment >= 1d;

    /// <summary>Returns the same KPI with a new current value.</summary>
    /// <param name="current">The latest value, finite.</param>
    /// <returns>The updated attainment.</returns>
    public KpiAttainment WithCurrent(double current) => new(Measure, Direction, Baseline, Target, current);
}
